"""Import every model so ``Base.metadata`` is complete (Alembic, tests, the app)."""

from registry.audit.models import AuditChainHead, AuditEvent
from registry.auth.models import Membership, Organization, User
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.db import Base
from registry.numbers.models import PhoneNumber
from registry.revisions.models import Revision

__all__ = ["AuditChainHead", "AuditEvent", "Base", "Brand", "Campaign", "Membership", "Organization",
           "PhoneNumber", "Revision", "User"]
