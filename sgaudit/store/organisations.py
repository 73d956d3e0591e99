"""Organisations and their service areas."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sgaudit.access.policy import MANAGE_ORGANISATIONS, VIEW_ORGANISATION
from sgaudit.errors import NotFound, SgauditError
from sgaudit.store.changes import log_change
from sgaudit.store.models import (
    Organisation,
    ServiceArea,
)
from sgaudit.store.scope import allowed, check


# ---- organisations --------------------------------------------------------------------
def _clean_areas(areas: Iterable[str]) -> list[str]:
    out: list[str] = []
    for a in areas:
        a = a.strip()
        if a and a not in out:
            out.append(a)
    return out


def create_organisation(
    session: Session, name: str, areas: Iterable[str], *, actor: str = ""
) -> Organisation:
    check(session, MANAGE_ORGANISATIONS)
    name = name.strip()
    if not name:
        raise SgauditError("an organisation needs a name")
    if session.scalar(select(Organisation).where(Organisation.name == name)):
        raise SgauditError(f"an organisation called '{name}' already exists")
    area_names = _clean_areas(areas)
    if not area_names:
        raise SgauditError("an organisation needs at least one service area")
    org = Organisation(name=name, service_areas=[ServiceArea(name=a) for a in area_names])
    session.add(org)
    session.flush()
    log_change(session, "create", "organisation", org.id, actor=actor, detail={"name": name})
    return org


def add_service_areas(session: Session, org: Organisation, areas: Iterable[str]) -> None:
    check(session, MANAGE_ORGANISATIONS)
    for a in _clean_areas(areas):
        if a not in org.area_names:
            org.service_areas.append(ServiceArea(name=a))
    session.flush()


def list_organisations(session: Session) -> list[Organisation]:
    """The organisations the session's principal may see, by name."""
    found = session.scalars(
        select(Organisation)
        .options(selectinload(Organisation.service_areas))
        .order_by(Organisation.name)
    )
    return [org for org in found if allowed(session, VIEW_ORGANISATION, org)]


def get_organisation(session: Session, name_or_id: str | int) -> Organisation:
    org = None
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        org = session.get(Organisation, int(name_or_id))
    if org is None:
        org = session.scalar(select(Organisation).where(Organisation.name == str(name_or_id)))
    if org is None:
        raise NotFound(f"no organisation '{name_or_id}'")
    check(session, VIEW_ORGANISATION, org)
    return org
