"""Catalog errors shared by several actions. Codes are contracts with API clients."""

from __future__ import annotations

from mall.errors import InvalidTransitionError


class ChangedMeanwhileError(InvalidTransitionError):
    """Two people acted on one object at once (two reviewers, a reviewer and the supplier): the
    other one's action won, and this one changed nothing. The message names the object."""

    code, message = "changed_meanwhile", "该记录刚刚已被他人处理，请刷新页面查看最新状态"


def changed_meanwhile(noun: str) -> ChangedMeanwhileError:
    return ChangedMeanwhileError(f"该{noun}刚刚已被他人处理（审核或修改），本次操作未生效，请刷新页面查看最新状态")
