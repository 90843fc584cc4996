"""Workforce and service templates: specialist-trained staff and victim feedback."""

from __future__ import annotations

from vawg.extracts.templates.model import (
    Column,
    Template,
    _id,
    _yes_no,
)

SPECIALIST_STAFF = Template(
    slug="specialist-staff",
    title="Specialist-trained staff",
    purpose=(
        "Monthly establishment and specialist accreditation of the units that investigate "
        "VAWG, for the skills-gap measures (PIP2, ABE, SCAIDP) against establishment."
    ),
    one_row="One unit and role in one month (a snapshot at the end of the month).",
    columns=(
        Column("month", "month", "The month of the snapshot.", "2022-03"),
        Column(
            "unit",
            "text",
            "The unit, as the force names it (for example CAISU, RIT, PPU).",
            "RIT",
            pattern=r"[A-Za-z0-9][A-Za-z0-9 ()&/.-]{0,59}",
            pattern_hint="a unit name: letters, digits, spaces and ( ) & / . - only, up to 60",
        ),
        Column(
            "team_type",
            "choice",
            "What the unit does, in words common to every force, so metrics need no local "
            "unit names.",
            "rape and serious sexual offences",
            choices=(
                "child abuse investigation",
                "rape and serious sexual offences",
                "public protection",
                "domestic abuse",
                "safeguarding hub",
                "other",
            ),
        ),
        Column(
            "role",
            "choice",
            "The role group.",
            "investigator",
            choices=("investigator", "supervisor", "staff investigator", "other"),
        ),
        Column(
            "establishment",
            "integer",
            "Funded posts (full-time equivalent, rounded).",
            "40",
            minimum=0,
        ),
        Column(
            "pip2_accredited",
            "integer",
            "Staff in post accredited to PIP level 2.",
            "31",
            minimum=0,
        ),
        Column(
            "abe_trained", "integer", "Staff in post trained to interview by ABE.", "28", minimum=0
        ),
        Column(
            "scaidp_trained",
            "integer",
            "Staff in post who completed the specialist child abuse investigator programme.",
            "0",
            minimum=0,
        ),
    ),
    key=("month", "unit", "role"),
    month_from=None,
    month_rule="the month column",
    notes=(
        "Shares are trained staff over establishment, so vacancies lower them: that is "
        "intended, a vacant post is a skills gap too.",
    ),
)

VICTIM_FEEDBACK = Template(
    slug="victim-feedback",
    title="Victim feedback questionnaire",
    purpose=(
        "Answers to the victim feedback questionnaire, for satisfaction, confidence to report "
        "again and being treated with respect."
    ),
    one_row="One completed questionnaire.",
    columns=(
        _id("response_id", "response", "VF-22-00087"),
        Column("month", "month", "The month the questionnaire was completed.", "2022-03"),
        Column(
            "service_area",
            "choice",
            "The service the respondent received.",
            "rape and serious sexual offences",
            choices=(
                "domestic abuse",
                "rape and serious sexual offences",
                "stalking and harassment",
                "child abuse",
                "other VAWG",
            ),
        ),
        _yes_no("satisfied", "Satisfied with the service overall.", "yes"),
        _yes_no("would_report_again", "Would report to the police again.", "yes"),
        Column(
            "treated_with_respect",
            "integer",
            "Agreement with being treated with respect: 1 strongly disagree to 5 strongly agree.",
            "4",
            minimum=1,
            maximum=5,
        ),
    ),
    key=("response_id",),
    month_from=None,
    month_rule="the month column",
    notes=("No free-text answers are imported: they may name people.",),
)
