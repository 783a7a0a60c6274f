"""Drives the API through a client openapi-python-client generated from /docs-json (test/e2e/python-client.e2e.test.ts).

Every answer is read through the generated models (`.parsed`, with raise_on_unexpected_status): an answer the document
does not describe fails here, as it would for an integrator's generated client. Prints one JSON line per step.
Usage: python3 python-client-flow.py <base URL> <tag>; the generated package `relance_client` is on PYTHONPATH.
"""
import json
import sys
import time

from relance_client import AuthenticatedClient, Client
from relance_client.api.approvals import approvals_approve, approvals_submit, approvals_view
from relance_client.api.companies import companies_create
from relance_client.api.customers import customers_create
from relance_client.api.invoices import invoices_create, invoices_list
from relance_client.api.tasks import tasks_list
from relance_client.api.users import users_create, users_issue_key
from relance_client.api.workflows import workflows_create
from relance_client.models import (
    AdminInputDto, ApproveInvoiceDto, CompanyInputDto, CreateCompanyDto, CreateCustomerDto, CreateInvoiceDto, CreateUserDto,
)

BASE_URL, TAG = sys.argv[1], sys.argv[2]


def say(step, **facts):
    print(json.dumps({"step": step, **facts}, default=str), flush=True)


def parsed(response, model):
    """The answer as the generated model read it; anything else (an error answer, another model) fails the flow."""
    if not isinstance(response.parsed, model):
        raise AssertionError(f"{response.status_code}: expected {model.__name__}, got {response.parsed!r} ({response.content[:300]!r})")
    return response.parsed


def as_user(api_key):
    return AuthenticatedClient(base_url=BASE_URL, token=api_key, raise_on_unexpected_status=True)


def sign_up(timezone, name):
    from relance_client.models import CreatedCompany
    # from_dict: the enum the document declares for the zone is what takes (or refuses) the name.
    body = CreateCompanyDto(
        company=CompanyInputDto.from_dict({"name": f"{name} {TAG}", "locale": "en-US", "timezone": timezone, "currency": "CAD"}),
        admin=AdminInputDto(name="Ada", email=f"ada-{name.lower()}-{TAG}@acme.test"),
    )
    return parsed(companies_create.sync_detailed(client=Client(base_url=BASE_URL, raise_on_unexpected_status=True), body=body), CreatedCompany)


# A company in a canonical zone, then one in an alias of it: both answers parse, and the alias comes back canonical.
toronto = sign_up("America/Toronto", "Acme")
say("signed up", timezone=str(toronto.company.timezone.value if hasattr(toronto.company.timezone, "value") else toronto.company.timezone),
    sendWindow=toronto.company.send_window)
signed_up = sign_up("America/Montreal", "Globex")
timezone = signed_up.company.timezone
say("signed up", timezone=str(timezone.value if hasattr(timezone, "value") else timezone), sendWindow=signed_up.company.send_window)

admin = as_user(signed_up.api_key)
admin_id = signed_up.user.id


def member(name):
    from relance_client.models import IssuedApiKey
    created = users_create.sync_detailed(client=admin, body=CreateUserDto.from_dict({"name": name, "email": f"{name.lower()}-{TAG}@acme.test", "role": "standard"}))
    if created.parsed is None or created.status_code != 201:
        raise AssertionError(f"{created.status_code}: {created.content[:300]!r}")
    # POST /v1/users answers the user (or { user, apiKey }); the key that counts here is one issued for it.
    user = getattr(created.parsed, "user", created.parsed)
    key = parsed(users_issue_key.sync_detailed(user.id, client=admin), IssuedApiKey)
    return user.id, key.api_key


creator_id, creator_key = member("Cora")
say("member", id=creator_id)

from relance_client.models import ApprovalActionInput, CreateInvoiceApprovalWorkflow, InvoiceApprovalWorkflow  # noqa: E402

definition = parsed(workflows_create.sync_detailed(client=admin, body=CreateInvoiceApprovalWorkflow.from_dict({
    "templateKey": "invoice-approval",
    "name": "Large invoices",
    "conditions": [{"field": "amount", "op": "gt", "value": "1000.00"}],
    "actions": [ApprovalActionInput.from_dict({"type": "approval", "approverIds": [str(admin_id)], "timeoutDays": 30}).to_dict()],
    "activate": True,
})), InvoiceApprovalWorkflow)
say("definition", id=definition.id, templateKey=definition.template_key, status=definition.status, actions=[a.to_dict() for a in definition.actions])

from relance_client.models import ApprovalView, Customer, Invoice, InvoicePage, TaskPage, TasksListKind, TasksListStatus  # noqa: E402

customer = parsed(customers_create.sync_detailed(client=admin, body=CreateCustomerDto.from_dict({"name": "Globex", "email": f"billing-{TAG}@globex.test"})), Customer)
by_creator = as_user(creator_key)
invoice = parsed(invoices_create.sync_detailed(client=by_creator, body=CreateInvoiceDto.from_dict({
    "number": f"INV-{TAG}", "customerId": str(customer.id), "amount": "1250.00", "issueDate": "2026-12-01", "dueDate": "2026-12-31",
})), Invoice)
say("invoice", id=invoice.id, approvalStatus=invoice.approval_status)

before = parsed(approvals_view.sync_detailed(invoice.id, client=by_creator), ApprovalView)
say("approval before submission", status=before.status, submittedBy=before.submitted_by)
submitted = parsed(approvals_submit.sync_detailed(invoice.id, client=by_creator), ApprovalView)
say("submitted", status=submitted.status, currentStep=submitted.current_step, definitionId=submitted.definition_id)

deadline = time.monotonic() + 30
while True:
    tasks = parsed(tasks_list.sync_detailed(client=admin, assignee="me", status=TasksListStatus("open"), kind=TasksListKind("approval"), record_id=invoice.id), TaskPage)
    if tasks.data or time.monotonic() > deadline:
        break
    time.sleep(0.2)
say("approver's task", count=len(tasks.data))

approved = parsed(approvals_approve.sync_detailed(invoice.id, client=admin, body=ApproveInvoiceDto(comment="matches the PO")), ApprovalView)
say("approved", status=approved.status, decidedBy=approved.decisions[-1].by.id if approved.decisions else None)

page = parsed(invoices_list.sync_detailed(client=admin, limit=10), InvoicePage)
say("invoices", numbers=[i.number for i in page.data], approvalStatuses=[i.approval_status for i in page.data], nextCursor=page.next_cursor)
