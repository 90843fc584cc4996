// Starts the GOV.UK Frontend components (error summary focus, menu toggle, banners).
// Every page works without it.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
