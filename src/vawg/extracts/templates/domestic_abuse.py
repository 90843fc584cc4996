"""Domestic abuse templates: incidents, crimes, protective orders, Clare's Law and MARAC."""

from __future__ import annotations

from vawg.extracts.templates.model import (
    _RISK,
    FINAL_OUTCOME_CODES,
    OUTCOME_CODES,
    PROSECUTION_IMPOSSIBLE_CODES,
    Column,
    Conditional,
    DerivedFlag,
    NotBefore,
    Template,
    _id,
    _yes_no,
)

DA_INCIDENTS = Template(
    slug="da-incidents",
    title="Domestic abuse incidents",
    purpose=(
        "Every domestic abuse incident reported to the force, whether or not a crime was "
        "recorded, with the first response to it: the base of the domestic abuse measures of "
        "Project Kaizen."
    ),
    one_row="One domestic abuse incident (a call for service or report), counted once.",
    columns=(
        _id("incident_id", "incident", "INC-2022-004512"),
        Column("reported_on", "date", "The day the incident was reported.", "2022-03-14"),
        Column(
            "month",
            "month",
            "The reporting month; must be the month of reported_on.",
            "2022-03",
        ),
        _yes_no("crime_recorded", "Whether a domestic abuse crime was recorded.", "yes"),
        _yes_no(
            "arrest_made",
            "Whether a suspect was arrested for the incident (any arrest linked to it).",
            "no",
        ),
        _yes_no(
            "repeat_victim",
            "Whether the victim was the victim of another domestic abuse incident reported in "
            "the 12 months before this one (local definition; there is no national one).",
            "yes",
        ),
        Column(
            "dash_risk",
            "choice",
            "The risk grade of the DASH (or DARA) risk assessment; empty when none was completed.",
            "medium",
            required=False,
            choices=_RISK,
        ),
    ),
    key=("incident_id",),
    month_from="reported_on",
    month_rule="the month column, which must equal the month of reported_on",
    notes=(
        "An incident with several victims is one row; record the highest DASH grade.",
        "Arrests per 100 crimes follow the ONS/HMICFRS domestic abuse arrest rate; here both "
        "counts come from this extract (arrest_made over crime_recorded).",
    ),
)

DA_CRIMES = Template(
    slug="da-crimes",
    title="Domestic abuse crimes",
    purpose=(
        "Every crime carrying the Home Office domestic abuse flag, with its outcome once "
        "finalised, for volumes, outcome shares and the prosecution-possible rate."
    ),
    one_row="One recorded crime flagged as domestic abuse related.",
    columns=(
        _id("crime_id", "crime", "CR-22-018845"),
        Column("recorded_on", "date", "The day the crime was recorded.", "2022-03-15"),
        Column(
            "month",
            "month",
            "The recording month; must be the month of recorded_on.",
            "2022-03",
        ),
        Column(
            "offence_group",
            "choice",
            "The offence group of the principal offence.",
            "violence with injury",
            choices=(
                "violence with injury",
                "violence without injury",
                "stalking and harassment",
                "controlling or coercive behaviour",
                "sexual offences",
                "criminal damage and arson",
                "other",
            ),
        ),
        Column(
            "outcome_code",
            "integer",
            "The Home Office outcome type (0 means not yet assigned); empty while open.",
            "1",
            required=False,
            minimum=min(OUTCOME_CODES),
            maximum=max(OUTCOME_CODES),
        ),
        Column(
            "finalised_on",
            "date",
            "The day the outcome was assigned; empty while open.",
            "2022-03-29",
            required=False,
        ),
        _yes_no(
            "prosecution_possible",
            "Local definition: yes when the outcome leaves a prosecution possible, that is any "
            "outcome except 5, 11, 12, 13, 17, 18, 19 and 20 (prevented by something outside "
            "police control); no for those; empty while open.",
            "yes",
            required=False,
        ),
    ),
    key=("crime_id",),
    month_from="recorded_on",
    month_rule="the month column, which must equal the month of recorded_on",
    rules=(
        Conditional("finalised_on", when="outcome_code", when_in=FINAL_OUTCOME_CODES),
        NotBefore("finalised_on", earlier="recorded_on"),
        DerivedFlag(
            "prosecution_possible",
            source="outcome_code",
            no_codes=PROSECUTION_IMPOSSIBLE_CODES,
            empty_codes=(0,),
        ),
    ),
    notes=(
        "The prosecution-possible rate is outcome 1 (charged/summonsed) divided by crimes "
        "finalised with prosecution_possible = yes, by month of finalised_on. It is a local "
        "measure, not a Home Office statistic.",
    ),
)

PROTECTIVE_ORDERS = Template(
    slug="protective-orders",
    title="Protective and preventative orders",
    purpose=(
        "Every application for a protective or preventative order the force makes (or "
        "notice it authorises), its result and any breach, for order use, grant rates, "
        "breaches and the Taskforce return of orders applied for and issued."
    ),
    one_row=(
        "One application for one order. A DVPN is one row (applied_on = day authorisation "
        "was sought, granted = whether it was authorised and served); the DVPO that follows "
        "is another row. An interim order is its own row."
    ),
    columns=(
        _id("order_id", "application", "ORD-22-00311"),
        Column(
            "order_type",
            "choice",
            "DVPN domestic violence protection notice; DVPO order; SPO stalking protection "
            "order; interim SPO; SHPO sexual harm prevention order (police application); SRO "
            "sexual risk order.",
            "DVPN",
            choices=("DVPN", "DVPO", "SPO", "interim SPO", "SHPO", "SRO"),
        ),
        Column("applied_on", "date", "The day the application was made.", "2022-03-02"),
        _yes_no(
            "granted",
            "Whether the order was granted (the notice authorised); empty while undecided.",
            "yes",
            required=False,
        ),
        Column(
            "granted_on",
            "date",
            "The day it was granted; only when granted.",
            "2022-03-02",
            required=False,
        ),
        _yes_no(
            "breached",
            "Whether a breach has been recorded; filled when granted, empty otherwise.",
            "yes",
            required=False,
        ),
        Column(
            "breach_on",
            "date",
            "The day of the first recorded breach; only when breached.",
            "2022-03-20",
            required=False,
        ),
        Column(
            "breach_actioned_on",
            "date",
            "The day of the first enforcement action on that breach (arrest, charge or "
            "summons); empty while none.",
            "2022-03-21",
            required=False,
        ),
    ),
    key=("order_id",),
    month_from="applied_on",
    month_rule="the month of applied_on",
    rules=(
        Conditional("granted_on", when="granted", when_in=(True,)),
        Conditional("breached", when="granted", when_in=(True,)),
        Conditional("breach_on", when="breached", when_in=(True,)),
        Conditional("breach_actioned_on", when="breached", when_in=(True,), required=False),
        NotBefore("granted_on", earlier="applied_on"),
        NotBefore("breach_on", earlier="granted_on"),
        NotBefore("breach_actioned_on", earlier="breach_on"),
    ),
)

CLARES_LAW = Template(
    slug="clares-law",
    title="Domestic Violence Disclosure Scheme (Clare's Law)",
    purpose=(
        "Every Clare's Law application under either route, and whether and when a disclosure "
        "was made, counted separately for right to ask and right to know."
    ),
    one_row="One application (right to ask) or one proactive consideration (right to know).",
    columns=(
        _id("application_id", "application", "DVDS-22-0147"),
        Column(
            "route",
            "choice",
            "right-to-ask: a member of the public applied; right-to-know: the police started it.",
            "right-to-ask",
            choices=("right-to-ask", "right-to-know"),
        ),
        Column(
            "applied_on", "date", "The day the application was received or started.", "2022-03-03"
        ),
        Column(
            "decided_on",
            "date",
            "The day the disclosure decision was made; empty while pending.",
            "2022-03-24",
            required=False,
        ),
        _yes_no(
            "disclosed",
            "Whether information was disclosed; filled once decided, empty while pending.",
            "no",
            required=False,
        ),
    ),
    key=("application_id",),
    month_from="applied_on",
    month_rule="the month of applied_on",
    rules=(
        Conditional("disclosed", when="decided_on"),
        NotBefore("decided_on", earlier="applied_on"),
    ),
    notes=(
        "An application ends without disclosure when there is nothing to disclose: a low "
        "disclosure share is not in itself a failure.",
    ),
)

MARAC_REFERRALS = Template(
    slug="marac-referrals",
    title="MARAC referrals",
    purpose=(
        "Every referral the force makes to a multi-agency risk assessment conference, for "
        "volumes and the repeat rate SafeLives benchmarks."
    ),
    one_row="One referral of one victim to MARAC.",
    columns=(
        _id("referral_id", "referral", "MAR-22-0412"),
        Column("referred_on", "date", "The day the referral was made.", "2022-03-09"),
        _yes_no(
            "repeat",
            "SafeLives definition: yes when there was a further incident within 12 months of "
            "the victim's last referral to MARAC.",
            "no",
        ),
        Column(
            "risk",
            "choice",
            "The risk grade at referral.",
            "high",
            choices=_RISK,
        ),
        Column(
            "criterion",
            "choice",
            "The SafeLives referral criterion relied on; may be empty.",
            "visible high risk",
            required=False,
            choices=(
                "visible high risk",
                "professional judgement",
                "potential escalation",
                "repeat",
            ),
        ),
    ),
    key=("referral_id",),
    month_from="referred_on",
    month_rule="the month of referred_on",
    notes=("SafeLives expects roughly 28% to 40% of MARAC cases to be repeats.",),
)
