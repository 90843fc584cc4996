"""Server-rendered pages (GOV.UK Frontend components); thin views over domain services."""
