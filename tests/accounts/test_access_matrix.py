"""Who may do what, proved URL by URL: every role (and a signed-in user with no role, and
nobody signed in) against every page and form, by direct request, not by hidden links."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import reverse

ROLES = (
    "administrator",
    "head_of_pvp",
    "project_lead",
    "analyst",
    "board_member",
    "partner",
    "offender_manager",
)
INTERNAL = frozenset(ROLES) - {"partner"}
EVERYONE = frozenset(ROLES)
CHANGERS = frozenset({"administrator", "head_of_pvp", "project_lead"})


READERS_OF_ALL = INTERNAL  # holders of accounts.view_tracker: every role but the partner
IMPORTERS = frozenset({"administrator", "analyst"})
SUBMITTERS = frozenset({"head_of_pvp"})  # reports.submit_return
AUDITORS = frozenset({"administrator"})  # audit.view_auditevent (and export_auditevent)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: object  # world -> str
    allowed: frozenset
    ok: int = 200
    data: object = field(default=lambda w: {})  # world -> dict
    #: What a refused signed-in user gets: the admin sends non-staff to its sign-in (302).
    denied: int = 403


def _update_data(world):
    return {
        "as_at-day": "1",
        "as_at-month": "2",
        "as_at-year": "2024",
        "text": "Progress this month.",
        "author_role": "Project lead",
    }


def _change_data(response):
    def data(world):
        return {
            "owner_role": "Detective Superintendent",
            "status": "in_progress",
            "rag": "green",
            "revision": str(response(world).revision),
        }

    return data


CASES = [
    Case("home", "get", lambda w: reverse("home"), EVERYONE),
    Case("framework", "get", lambda w: reverse("framework"), EVERYONE),
    Case("action", "get", lambda w: reverse("action", args=[w.own_action.code]), EVERYONE),
    Case("projects", "get", lambda w: reverse("projects"), EVERYONE),
    Case("project", "get", lambda w: reverse("project", args=["kaizen"]), EVERYONE),
    Case("reckoner", "get", lambda w: reverse("reckoner"), EVERYONE),
    Case("imports", "get", lambda w: reverse("imports"), frozenset({"administrator", "analyst"})),
    Case(
        "reckoner published month",
        "get",
        lambda w: f"{reverse('reckoner')}?month={w.published_month}",
        EVERYONE,
    ),
    Case(
        "reckoner unpublished month",
        "get",
        lambda w: f"{reverse('reckoner')}?month={w.unpublished_month}",
        INTERNAL,
    ),
    Case(
        "xlsx of a published month",
        "get",
        lambda w: f"{reverse('reckoner')}?month={w.published_month}&export=xlsx",
        EVERYONE,
    ),
    Case(
        "xlsx of an unpublished month",
        "get",
        lambda w: f"{reverse('reckoner')}?month={w.unpublished_month}&export=xlsx",
        INTERNAL,
    ),
    Case("metric", "get", lambda w: reverse("metric", args=[w.metric.code]), EVERYONE),
    Case(
        "metric, unpublished month",
        "get",
        lambda w: f"{reverse('metric', args=[w.metric.code])}?month={w.unpublished_month}",
        INTERNAL,
    ),
    Case(
        "add an update to an action of the lead's project",
        "post",
        lambda w: reverse("action-add-update", args=[w.own_action.code]),
        CHANGERS,
        302,
        _update_data,
    ),
    Case(
        "add an update to an action of another project",
        "post",
        lambda w: reverse("action-add-update", args=[w.other_action.code]),
        CHANGERS - {"project_lead"},
        302,
        _update_data,
    ),
    Case(
        "change the response to an action of the lead's project",
        "post",
        lambda w: reverse("action-change-response", args=[w.own_action.code]),
        CHANGERS,
        302,
        _change_data(lambda w: w.own_response),
    ),
    Case(
        "change the response to an action of another project",
        "post",
        lambda w: reverse("action-change-response", args=[w.other_action.code]),
        CHANGERS - {"project_lead"},
        302,
        _change_data(lambda w: w.other_response),
    ),
    Case(
        "confirm publishing a month",
        "get",
        lambda w: f"{reverse('reckoner-publish')}?month={w.unpublished_month}",
        frozenset({"administrator", "head_of_pvp"}),
    ),
    Case(
        "publish a month",
        "post",
        lambda w: reverse("reckoner-publish"),
        frozenset({"administrator", "head_of_pvp"}),
        302,
        lambda w: {"month": w.unpublished_month},
    ),
    Case(
        "approve an update",
        "post",
        lambda w: reverse("update-approve", args=[w.submitted.pk]),
        frozenset({"head_of_pvp"}),
        302,
    ),
    Case("governance calendar", "get", lambda w: reverse("governance"), INTERNAL, None),
    Case("two-factor page", "get", lambda w: reverse("two-factor"), EVERYONE),
    # Papers and returns hold unpublished figures and unapproved narrative: not for partners.
    Case("paper form", "get", lambda w: reverse("report-paper"), READERS_OF_ALL),
    Case(
        "paper download",
        "get",
        lambda w: f"{reverse('report-paper')}?{urlencode(PAPER_QUERY)}",
        READERS_OF_ALL,
    ),
    Case("returns list", "get", lambda w: reverse("report-returns"), READERS_OF_ALL),
    Case("a return", "get", lambda w: reverse("report-return", args=["2024Q1"]), READERS_OF_ALL),
    Case(
        "a return's xlsx",
        "get",
        lambda w: f"{reverse('report-return', args=['2024Q1'])}?export=xlsx",
        READERS_OF_ALL,
    ),
    Case(
        "submit a return",
        "post",
        lambda w: reverse("report-return-submit", args=["2024Q1"]),
        SUBMITTERS,
        302,
    ),
    # Governance: what is owed, and acknowledging an update, are for readers of the whole
    # tracker (URL_RULES); a partner reads neither the updates owed nor unapproved ones.
    Case("governance owed", "get", lambda w: reverse("governance-owed"), READERS_OF_ALL),
    Case("governance owed to me", "get", lambda w: reverse("governance-owed-mine"), READERS_OF_ALL),
    Case(
        "acknowledge an update",
        "post",
        # Approved: only an approved update can be acknowledged (a submitted one is refused).
        lambda w: reverse("governance-acknowledge", args=[w.approved.pk]),
        READERS_OF_ALL,
        302,
    ),
    Case("an import job", "get", lambda w: reverse("import-job", args=[_job(w).pk]), IMPORTERS),
    # The audit trail: administrators only; everyone else is not staff and is sent to sign in.
    Case(
        "audit trail",
        "get",
        lambda w: reverse("admin:audit_auditevent_changelist"),
        AUDITORS,
        denied=302,
    ),
    Case(
        "audit trail export",
        "get",
        lambda w: reverse("admin:audit_auditevent_export"),
        AUDITORS,
        denied=302,
    ),
    Case(
        "offender management",
        "get",
        lambda w: reverse("offenders"),
        frozenset({"offender_manager"}),
    ),
]

PAPER_QUERY = {
    "board": "Business Coordination Board",
    "as_at-day": "31",
    "as_at-month": "3",
    "as_at-year": "2024",
    "format": "docx",
}


def _job(world):
    from vawg.imports.models import ImportJob, JobKind

    return ImportJob.objects.create(kind=JobKind.POLICE_UK, file_names=["2024-01-street.csv"])


#: A signed-in user with no role may only manage their own second factor.
NOBODY_ALLOWED = {"two-factor page"}


def _expected(case: Case, who: str) -> int | None:
    if who == "anonymous":
        return 302
    if who == "nobody":
        return case.ok if case.name in NOBODY_ALLOWED else case.denied
    return case.ok if who in case.allowed else case.denied


MATRIX = [
    pytest.param(case, who, id=f"{who}-{case.method}-{case.name}")
    for case in CASES
    for who in (*ROLES, "nobody", "anonymous")
]


@pytest.mark.parametrize(("case", "who"), MATRIX)
def test_role_matrix(client, world, users, as_role, case, who):
    if who in ROLES:
        as_role(who)
    elif who == "nobody":
        client.force_login(users["nobody"])
    expected = _expected(case, who)
    response = getattr(client, case.method)(case.url(world), case.data(world))
    if expected is None:
        # Another app's page: only its refusals are this module's business.
        if who in case.allowed:
            assert response.status_code != 403
            return
        expected = 403
    assert response.status_code == expected, (who, case.name, response.status_code)
    if expected == 302 and who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    elif expected == 302 and case.denied == 302 and who not in case.allowed:
        # Signed in but not staff: the admin's sign-in, which refuses them (403) in turn.
        assert response["Location"].startswith(reverse("admin-sign-in"))


@pytest.mark.parametrize(
    ("who", "url", "content_type"),
    [
        ("board_member", lambda w: f"{reverse('report-paper')}?{urlencode(PAPER_QUERY)}", "word"),
        ("analyst", lambda w: f"{reverse('report-return', args=['2024Q1'])}?export=xlsx", "sheet"),
        ("administrator", lambda w: reverse("admin:audit_auditevent_export"), "text/csv"),
    ],
)
def test_the_allowed_downloads_are_the_files(client, world, as_role, who, url, content_type):
    as_role(who)
    response = client.get(url(world))
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_a_partner_gets_no_paper_return_or_audit_file_by_any_url(client, world, as_role):
    as_role("partner")
    for url in (
        f"{reverse('report-paper')}?{urlencode({**PAPER_QUERY, 'format': 'pdf'})}",
        f"{reverse('report-return', args=['2023Q4'])}?export=xlsx",
        f"{reverse('admin:audit_auditevent_export')}?action=login",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Content-Disposition" not in response, url


def test_admin_is_for_administrators_only(client, users, as_role):
    as_role("administrator")
    assert client.get(reverse("admin:index")).status_code == 200
    for who in ("head_of_pvp", "board_member", "partner"):
        as_role(who)
        assert client.get(reverse("admin:index")).status_code == 302
        # The admin's own sign-in page refuses a signed-in non-staff user instead of looping.
        assert client.get(reverse("admin-sign-in")).status_code == 403


def test_admin_sign_in_goes_through_the_tracker_sign_in(client):
    response = client.get(reverse("admin-sign-in"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"


def test_pdf_of_an_unpublished_month_is_refused_to_a_partner(client, world, as_role):
    as_role("partner")
    url = f"{reverse('reckoner')}?month={world.unpublished_month}&export=pdf"
    page = client.get(url)
    assert page.status_code == 403
    assert "has not been published" in page.content.decode()
    published = client.get(f"{reverse('reckoner')}?month={world.published_month}&export=pdf")
    assert published.status_code == 200
    assert published["Content-Type"] == "application/pdf"


def test_a_view_without_an_access_rule_is_refused(rf, users):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from vawg.accounts.middleware import SIGNED_IN_AT_KEY, AccessPolicyMiddleware

    def unruled(request):
        return HttpResponse("secret")

    request = rf.get("/somewhere/")
    request.user = users["head_of_pvp"]
    request.session = {SIGNED_IN_AT_KEY: time.time()}
    request.resolver_match = None
    middleware = AccessPolicyMiddleware(lambda r: HttpResponse())
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, unruled, (), {})


def test_an_administrator_assigns_owner_roles_in_the_admin(client, users, as_role):
    from vawg.governance.models import RoleAssignment

    as_role("administrator")
    url = reverse("admin:governance_roleassignment_add")
    assert client.get(url).status_code == 200
    owner_role = "Detective Chief Inspector, Public Protection Unit"
    response = client.post(url, {"user": users["project_lead"].pk, "owner_role": owner_role})
    assert response.status_code == 302
    assert list(RoleAssignment.objects.values_list("user", "owner_role")) == [
        (users["project_lead"].pk, owner_role)
    ]
    as_role("head_of_pvp")
    assert client.get(url).status_code == 302
