"""The progression rule: a later version may not drop or lower a pledge of the version it is measured against.

Measured against the previous version of the same edition (a step back, allowed with a justification during the
call for commitments) and against a signed version (binding until the next edition, or the next edition's baseline).
"""
from cop.commitments.models import CommitmentVersion
from cop.filters import number


def lowered_pledges(new: CommitmentVersion, base: CommitmentVersion, *, gone: str = "n’y figure plus",
                    values: str = "{new} au lieu de {old}") -> list[str]:
    """Each pledge of `base` that `new` drops, or lowers (unconditional value, or total with conditions), in words.

    `gone` ends the sentence of a dropped pledge; `values` words the new value beside the base's.
    """
    mine = {p.indicator_id: p for p in new.pledges}
    out = []
    for old in base.pledges:
        name, pledge = old.indicator.name, mine.get(old.indicator_id)
        if pledge is None:
            out.append(f"« {name} » {gone}")
            continue
        if pledge.unconditional_value < old.unconditional_value:
            words = values.format(new=number(pledge.unconditional_value), old=number(old.unconditional_value))
            out.append(f"« {name} » inconditionnel {words}")
        total, old_total = (p.unconditional_value + p.conditional_value for p in (pledge, old))
        if total < old_total:
            out.append(f"« {name} » avec conditions {values.format(new=number(total), old=number(old_total))}")
    return out
