"""Create billable objects at most once: reconcile by ``client_ref`` before creating again.

The outbox sender calls these with ``previously_attempted=True`` when an earlier attempt of the same
submission row may have reached the provider (the worker died, or the call ended ``maybe_committed``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .base import (
    BrandInput,
    BrandRecord,
    CampaignInput,
    CampaignRecord,
    ProviderError,
    ProviderErrorKind,
    ProviderRef,
    TenDlcProvider,
)

T = TypeVar("T")


def create_once(
    create: Callable[[], T],
    find: Callable[[], T | None],
    *,
    previously_attempted: bool,
) -> T:
    """Return what ``find`` sees if an earlier attempt committed, else ``create``: one create per ref.

    After a create that may have committed (``maybe_committed``) or that the provider calls a duplicate
    (CONFLICT), look again; if the object is still not there, or the lookup itself fails, the original error
    is raised for a later retry (so ``maybe_committed`` survives a failed lookup).
    """
    if previously_attempted:
        existing = find()
        if existing is not None:
            return existing
    try:
        return create()
    except ProviderError as exc:
        if not (exc.maybe_committed or exc.kind is ProviderErrorKind.CONFLICT):
            raise
        try:
            existing = find()
        except ProviderError as lookup:
            # the lookup failed too: keep the create's error, whose maybe_committed makes the next try look
            raise exc from lookup
        if existing is None:
            raise
        return existing


def create_brand_once(
    provider: TenDlcProvider, brand: BrandInput, *, client_ref: str, previously_attempted: bool = False
) -> BrandRecord:
    """Register a brand unless an earlier attempt with ``client_ref`` already did."""
    return create_once(
        lambda: provider.create_brand(brand, client_ref=client_ref),
        lambda: provider.find_brand_by_reference(client_ref, brand),
        previously_attempted=previously_attempted,
    )


def create_campaign_once(
    provider: TenDlcProvider,
    brand: ProviderRef,
    campaign: CampaignInput,
    *,
    client_ref: str,
    previously_attempted: bool = False,
) -> CampaignRecord:
    """Submit a campaign unless an earlier attempt with ``client_ref`` already did."""
    return create_once(
        lambda: provider.create_campaign(brand, campaign, client_ref=client_ref),
        lambda: provider.find_campaign_by_reference(brand, client_ref),
        previously_attempted=previously_attempted,
    )
