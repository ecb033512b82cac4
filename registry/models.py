"""Import every model so ``Base.metadata`` is complete (Alembic, tests, the app)."""

from registry.audit.models import AuditChainHead, AuditEvent
from registry.auth.models import Membership, Organization, User
from registry.brands.models import Brand
from registry.campaigns.models import Campaign, CampaignMedia
from registry.consent.models import (
    ConsentChainHead,
    ConsentDaily,
    ConsentDisclosure,
    ConsentDisclosureUse,
    ConsentEvent,
    ConsentImport,
    ConsentInbound,
    ConsentInboundKey,
    ConsentSubscription,
)
from registry.db import Base
from registry.lifecycle.models import CarrierStatus, StatusChange
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderAccount, ProviderCall
from registry.revisions.models import Acknowledgement, Revision
from registry.submissions.models import Submission
from registry.sync.models import SyncState
from registry.webhooks.models import WebhookEvent

__all__ = ["Acknowledgement", "AuditChainHead", "AuditEvent", "Base", "Brand", "Campaign", "CampaignMedia",
           "CarrierStatus", "ConsentChainHead", "ConsentDaily", "ConsentDisclosure",
           "ConsentDisclosureUse", "ConsentEvent", "ConsentImport", "ConsentInbound", "ConsentInboundKey",
           "ConsentSubscription", "Membership", "Organization", "PhoneNumber", "ProviderAccount", "ProviderCall",
           "Revision", "StatusChange", "Submission", "SyncState", "User", "WebhookEvent"]
