"""Safeguarding and outcome templates: missing episodes, finalised VAWG crimes and
referrals to partner agencies."""

from __future__ import annotations

from vawg.extracts.templates.model import (
    _PERSON_REF,
    _PERSON_REF_HINT,
    FINAL_OUTCOME_CODES,
    Column,
    NotBefore,
    Template,
    _id,
    _yes_no,
)

MISSING_EPISODES = Template(
    slug="missing-episodes",
    title="Missing person episodes",
    purpose=(
        "Every episode of a person reported missing, with when they were found, for how long "
        "people (children above all) are missing and who goes missing again."
    ),
    one_row="One missing episode of one person, from report to being found.",
    columns=(
        _id("episode_id", "episode", "MFH-22-01876"),
        Column(
            "person_ref",
            "text",
            "The pseudonymous reference of the missing person, the same for every episode of "
            "that person.",
            "P-004211",
            pattern=_PERSON_REF,
            pattern_hint=_PERSON_REF_HINT,
        ),
        Column(
            "reported_at", "datetime", "When the person was reported missing.", "2022-03-05 21:40"
        ),
        Column(
            "found_at",
            "datetime",
            "When the person was found (or returned); empty while still missing.",
            "2022-03-06 00:20",
            required=False,
        ),
        Column(
            "age", "integer", "Age in years when reported missing.", "15", minimum=0, maximum=120
        ),
        Column(
            "risk",
            "choice",
            "The risk grade at the time of the report (APP on missing persons).",
            "medium",
            choices=("no apparent risk", "low", "medium", "high"),
        ),
    ),
    key=("episode_id",),
    month_from="reported_at",
    month_rule="the month of reported_at",
    rules=(NotBefore("found_at", earlier="reported_at"),),
    notes=(
        "Minutes missing = found_at - reported_at. Found within 24 hours means at most "
        "1,440 minutes; an episode still open counts as not found within 24 hours.",
        "A juvenile is a person aged under 18 when reported missing.",
    ),
)

FINALISED_CRIMES = Template(
    slug="finalised-crimes",
    title="Finalised VAWG crimes",
    purpose=(
        "Every violence against women and girls crime given a final outcome, by offence "
        "group, for charge rates, outcome shares (14, 15, 16), time to outcome and child "
        "sexual abuse and exploitation."
    ),
    one_row="One crime, on the day it was finalised with a Home Office outcome.",
    columns=(
        _id("crime_id", "crime", "CR-21-044102"),
        Column("recorded_on", "date", "The day the crime was recorded.", "2021-11-02"),
        Column("finalised_on", "date", "The day the outcome was assigned.", "2022-03-18"),
        Column(
            "offence_group",
            "choice",
            "The first group that applies, in this order: rape; other sexual offences; "
            "domestic abuse; stalking and harassment; honour-based abuse; other VAWG.",
            "rape",
            choices=(
                "rape",
                "other sexual offences",
                "domestic abuse",
                "stalking and harassment",
                "honour-based abuse",
                "other VAWG",
            ),
        ),
        Column(
            "outcome_code",
            "integer",
            "The Home Office outcome type assigned (1 to 23).",
            "15",
            minimum=min(FINAL_OUTCOME_CODES),
            maximum=max(FINAL_OUTCOME_CODES),
        ),
        _yes_no("child_victim", "Whether the victim was under 18 at the offence.", "no"),
        _yes_no(
            "cse_flagged",
            "Whether the crime carries the force's child sexual exploitation flag.",
            "no",
        ),
    ),
    key=("crime_id",),
    month_from="finalised_on",
    month_rule="the month of finalised_on",
    rules=(NotBefore("finalised_on", earlier="recorded_on"),),
    notes=(
        "Rates here are on the Home Office's second basis: outcomes of investigations closed "
        "in the month, whatever month the crime was recorded in.",
    ),
)

PARTNER_REFERRALS = Template(
    slug="partner-referrals",
    title="Referrals to partner agencies",
    purpose=(
        "Every referral the force makes to a partner agency, above all the DA Alliance, for "
        "the volume and mix of safeguarding referrals."
    ),
    one_row="One referral of one person to one partner agency.",
    columns=(
        _id("referral_id", "referral", "REF-22-09931"),
        Column("referred_on", "date", "The day the referral was made.", "2022-03-11"),
        Column(
            "partner",
            "choice",
            "The partner referred to (a force adapts this list to its partnership).",
            "DA Alliance",
            choices=(
                "DA Alliance",
                "IDVA service",
                "ISVA service",
                "children's social care",
                "adult social care",
                "perpetrator programme",
                "housing",
                "other",
            ),
        ),
        Column(
            "referral_type",
            "choice",
            "What the referral asks for.",
            "victim support",
            choices=(
                "victim support",
                "safeguarding",
                "perpetrator intervention",
                "information sharing",
            ),
        ),
    ),
    key=("referral_id",),
    month_from="referred_on",
    month_rule="the month of referred_on",
)
