"""The controlled vocabulary: categories, agreement types, statuses, kinds.

Every other module takes its categories, types and statuses from here, so a
new type is added in exactly one place (plus its labels in ``theme``).
"""

from __future__ import annotations

from enum import StrEnum


class _Vocab(StrEnum):
    """A string enum whose value is the spelling used in data files."""

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)


class Category(_Vocab):
    SECURITY = "security"
    ECONOMIC = "economic"
    DIPLOMATIC = "diplomatic"


class Status(_Vocab):
    """Lifecycle steps. A tie's ``dates`` are keyed by these same names."""

    ANNOUNCED = "announced"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    HELD = "held"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"
    ENDED = "ended"


# Rank breaks ties between steps that fall on the same (or a compatible) date:
# a treaty signed and in force on one day is in force that day.
STATUS_RANK: dict[Status, int] = {
    Status.ANNOUNCED: 0,
    Status.NEGOTIATING: 1,
    Status.SIGNED: 2,
    Status.HELD: 2,
    Status.IN_FORCE: 3,
    Status.SUSPENDED: 4,
    Status.CANCELLED: 5,
    Status.ENDED: 5,
}

# Pairs (earlier, later) whose dates must not be reversed.
DATE_ORDER: tuple[tuple[Status, Status], ...] = (
    (Status.SIGNED, Status.IN_FORCE),
    (Status.NEGOTIATING, Status.SIGNED),
    (Status.IN_FORCE, Status.SUSPENDED),
    (Status.SIGNED, Status.ENDED),
    (Status.IN_FORCE, Status.ENDED),
    (Status.SUSPENDED, Status.ENDED),
    (Status.HELD, Status.ENDED),
    (Status.ANNOUNCED, Status.ENDED),
    (Status.ANNOUNCED, Status.CANCELLED),
)

# Statuses that mean "binding and operating": used for dashed vs solid links.
ACTIVE_STATUSES = frozenset({Status.IN_FORCE, Status.HELD})
# Statuses after which a tie no longer belongs to the network.
TERMINAL_STATUSES = frozenset({Status.ENDED, Status.CANCELLED})


class Kind(_Vocab):
    STATE = "state"
    ORGANISATION = "organisation"
    GROUP = "group"


class Relationship(_Vocab):
    """How the dataset's author characterises a partner as a whole.

    ``contested`` is for a relationship the source discusses without calling
    it a partnership (Japan and China): it is drawn, but never as a partner.
    """

    PARTNER = "partner"
    CONTESTED = "contested"


class Nature(_Vocab):
    """Whether a tie binds the two sides closer or records friction."""

    COOPERATION = "cooperation"
    FRICTION = "friction"


class TieType(_Vocab):
    ALLIANCE = "alliance"
    RECIPROCAL_ACCESS = "reciprocal_access"
    ACSA = "acsa"
    INFORMATION_SECURITY = "information_security"
    EQUIPMENT_TRANSFER = "equipment_transfer"
    DEFENSE_SALE = "defense_sale"
    JOINT_DEVELOPMENT = "joint_development"
    DEFENSE_INDUSTRY = "defense_industry"
    JOINT_EXERCISE = "joint_exercise"
    DEPLOYMENT = "deployment"
    BASING = "basing"
    FORCE_POSTURE = "force_posture"
    SECURITY_ASSISTANCE = "security_assistance"
    SECURITY_DECLARATION = "security_declaration"
    DIALOGUE_2PLUS2 = "dialogue_2plus2"
    MINILATERAL = "minilateral"
    TRADE_AGREEMENT = "trade_agreement"
    TARIFF_DEAL = "tariff_deal"
    TRADE_MEASURE = "trade_measure"
    INVESTMENT = "investment"
    ECONOMIC_SECURITY = "economic_security"
    DEVELOPMENT = "development"
    PARTNERSHIP_FRAMEWORK = "partnership_framework"
    SUMMIT = "summit"
    JOINT_STATEMENT = "joint_statement"
    DIALOGUE = "dialogue"
    INCIDENT = "incident"


_S, _E, _D = Category.SECURITY, Category.ECONOMIC, Category.DIPLOMATIC

# Which categories each type may be filed under. The first is the usual one.
TYPE_CATEGORIES: dict[TieType, tuple[Category, ...]] = {
    TieType.ALLIANCE: (_S,),
    TieType.RECIPROCAL_ACCESS: (_S,),
    TieType.ACSA: (_S,),
    TieType.INFORMATION_SECURITY: (_S,),
    TieType.EQUIPMENT_TRANSFER: (_S,),
    TieType.DEFENSE_SALE: (_S, _E),
    TieType.JOINT_DEVELOPMENT: (_S, _E),
    TieType.DEFENSE_INDUSTRY: (_S, _E),
    TieType.JOINT_EXERCISE: (_S,),
    TieType.DEPLOYMENT: (_S,),
    TieType.BASING: (_S,),
    TieType.FORCE_POSTURE: (_S,),
    TieType.SECURITY_ASSISTANCE: (_S,),
    TieType.SECURITY_DECLARATION: (_S, _D),
    TieType.DIALOGUE_2PLUS2: (_S, _E, _D),
    TieType.MINILATERAL: (_S, _E, _D),
    TieType.TRADE_AGREEMENT: (_E,),
    TieType.TARIFF_DEAL: (_E,),
    TieType.TRADE_MEASURE: (_E,),
    TieType.INVESTMENT: (_E,),
    TieType.ECONOMIC_SECURITY: (_E, _S),
    TieType.DEVELOPMENT: (_E, _D),
    TieType.PARTNERSHIP_FRAMEWORK: (_D, _S, _E),
    TieType.SUMMIT: (_D, _S, _E),
    TieType.JOINT_STATEMENT: (_D, _S, _E),
    TieType.DIALOGUE: (_D, _S, _E),
    TieType.INCIDENT: (_S, _D, _E),
}

# Types whose agreements take effect only when they enter into force: signed but
# not in force, they are drawn as pending (dashed). Everything else — a declaration,
# a joint statement, a summit, an exercise — is in effect once signed or held.
ENTERS_INTO_FORCE: frozenset[TieType] = frozenset({
    TieType.ALLIANCE, TieType.RECIPROCAL_ACCESS, TieType.ACSA, TieType.INFORMATION_SECURITY,
    TieType.EQUIPMENT_TRANSFER, TieType.TRADE_AGREEMENT,
})


class Standing(_Vocab):
    """How deep a kind of tie runs; a partner is coloured by its deepest live cooperative tie.

    Never by count: three tariff measures and a trade deal must not make a
    treaty ally look like a trade partner. One legend line explains it.
    """

    ALLIANCE = "alliance"  # a mutual defence treaty
    ACCESS = "access"  # forces in each other's territory: reciprocal access, bases, force posture
    DEFENCE = "defence"  # logistics, intelligence, equipment, defence industry, assistance
    TRADE = "trade"  # trade and investment agreements, economic security
    FRAMEWORK = "framework"  # declarations, partnerships, 2+2s, minilaterals, exercises, deployments, aid
    CONTACT = "contact"  # summits, statements, dialogues
    MEASURE = "measure"  # trade measures and incidents (usually friction)


STANDING: dict[TieType, Standing] = {
    TieType.ALLIANCE: Standing.ALLIANCE,
    TieType.RECIPROCAL_ACCESS: Standing.ACCESS,
    TieType.BASING: Standing.ACCESS,
    TieType.FORCE_POSTURE: Standing.ACCESS,
    TieType.ACSA: Standing.DEFENCE,
    TieType.INFORMATION_SECURITY: Standing.DEFENCE,
    TieType.EQUIPMENT_TRANSFER: Standing.DEFENCE,
    TieType.DEFENSE_SALE: Standing.DEFENCE,
    TieType.JOINT_DEVELOPMENT: Standing.DEFENCE,
    TieType.DEFENSE_INDUSTRY: Standing.DEFENCE,
    TieType.SECURITY_ASSISTANCE: Standing.DEFENCE,
    TieType.TRADE_AGREEMENT: Standing.TRADE,
    TieType.TARIFF_DEAL: Standing.TRADE,
    TieType.INVESTMENT: Standing.TRADE,
    TieType.ECONOMIC_SECURITY: Standing.TRADE,
    TieType.SECURITY_DECLARATION: Standing.FRAMEWORK,
    TieType.PARTNERSHIP_FRAMEWORK: Standing.FRAMEWORK,
    TieType.DIALOGUE_2PLUS2: Standing.FRAMEWORK,
    TieType.MINILATERAL: Standing.FRAMEWORK,
    TieType.JOINT_EXERCISE: Standing.FRAMEWORK,
    TieType.DEPLOYMENT: Standing.FRAMEWORK,
    TieType.DEVELOPMENT: Standing.FRAMEWORK,
    TieType.SUMMIT: Standing.CONTACT,
    TieType.JOINT_STATEMENT: Standing.CONTACT,
    TieType.DIALOGUE: Standing.CONTACT,
    TieType.TRADE_MEASURE: Standing.MEASURE,
    TieType.INCIDENT: Standing.MEASURE,
}
# 0 for the deepest; the fill's strength follows it.
STANDING_RANK: dict[Standing, int] = {s: i for i, s in enumerate(Standing)}

SCHEMA_VERSION = 1
