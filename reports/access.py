"""Who may see and manage what.

Every admin class, view and command asks these functions; none of them
decides on its own. A user's rights come from their memberships:

- 填报人 / 审核人 / 单位负责人 see their own agency's filings;
- 主管部门 (coordinator) sees and manages the whole subtree under the
  agency they coordinate (the agency itself included);
- a superuser sees everything.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith

from reports.models import Agency, Membership

Role = Membership.Role


@dataclass(frozen=True)
class Access:
    """A user's rights, computed once per request (see `access_for`)."""

    is_superuser: bool = False
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    coordinated_ids: frozenset[int] = frozenset()
    # Coordinates a top-level agency (no parent): may manage the reporting periods,
    # which every agency shares.
    is_top_coordinator: bool = False

    @property
    def is_member(self) -> bool:
        return self.is_superuser or bool(self.roles)

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or bool(self.coordinated_ids)

    def visible_agency_ids(self) -> frozenset[int] | None:
        """Agencies whose filings this user may read; None means all."""
        if self.is_superuser:
            return None
        return frozenset(self.roles) | self.coordinated_ids

    @property
    def manages_periods(self) -> bool:
        return self.is_superuser or self.is_top_coordinator

    def can_see_agency(self, agency_id: int) -> bool:
        visible = self.visible_agency_ids()
        return visible is None or agency_id in visible

    def can_manage_agency(self, agency_id: int) -> bool:
        """Create and edit the agency, its accounts and its memberships."""
        return self.is_superuser or agency_id in self.coordinated_ids

    def coordinates_above(self, agency) -> bool:
        """A coordinator of an agency above `agency` (its parent or further up): who passes or
        returns its filing in 主管部门审核. Not a coordinator of `agency` alone."""
        if agency.parent_id is None:
            return False
        return self.is_superuser or agency.parent_id in self.coordinated_ids

    def has_role(self, agency_id: int, role: str) -> bool:
        return self.is_superuser or role in self.roles.get(agency_id, frozenset())

    def agencies_with_role(self, role: str) -> frozenset[int]:
        return frozenset(a for a, held in self.roles.items() if role in held)


def subtree_ids(root_ids: set[int]) -> frozenset[int]:
    """The given agencies and all their descendants, in one query (by `Agency.path`)."""
    if not root_ids:
        return frozenset()
    under_a_root = Agency.objects.filter(pk__in=root_ids).filter(
        StartsWith(OuterRef("path"), F("path"))
    )
    return frozenset(Agency.objects.filter(Exists(under_a_root)).values_list("id", flat=True))


def access_for(user) -> Access:
    """The rights of `user`, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access()
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        access = Access(is_superuser=True)
    else:
        roles = defaultdict(set)
        for agency_id, role in Membership.objects.filter(user=user).values_list(
            "agency_id", "role"
        ):
            roles[agency_id].add(role)
        coordinator_roots = {a for a, held in roles.items() if Role.COORDINATOR in held}
        access = Access(
            roles={a: frozenset(held) for a, held in roles.items()},
            coordinated_ids=subtree_ids(coordinator_roots),
            is_top_coordinator=bool(coordinator_roots)
            and Agency.objects.filter(id__in=coordinator_roots, parent__isnull=True).exists(),
        )
    user._portal_access = access
    return access


def manageable_users(access: Access):
    """Accounts a coordinator may edit and give roles to.

    Only accounts whose every membership lies inside the coordinator's subtree
    (and new accounts without any), never a superuser: otherwise a district
    coordinator could reset the password of the city coordinator above them.
    """
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if access.is_superuser:
        return users
    if not access.is_coordinator:
        return users.none()
    outside = Membership.objects.exclude(agency_id__in=access.coordinated_ids)
    return users.filter(is_superuser=False).exclude(memberships__in=outside)
