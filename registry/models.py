"""Import every model so ``Base.metadata`` is complete (Alembic, tests, the app)."""

from registry.audit.models import AuditChainHead, AuditEvent
from registry.auth.models import Membership, Organization, User
from registry.brands.models import Brand
from registry.campaigns.models import Campaign, CampaignMedia
from registry.db import Base
from registry.numbers.models import PhoneNumber
from registry.lifecycle.models import CarrierStatus, StatusChange
from registry.revisions.models import Acknowledgement, Revision

__all__ = ["Acknowledgement", "AuditChainHead", "AuditEvent", "Base", "Brand", "Campaign", "CampaignMedia",
           "CarrierStatus", "Membership", "Organization", "PhoneNumber", "Revision", "StatusChange", "User"]
