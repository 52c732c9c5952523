"""Infer the province and level of documents that do not say them, and say where each came from.

Sources, in the order they are trusted (each node keeps `province_source` / `level_source`):
- `header`      the document's own issuer block (parser + registry);
- `identified`  what the citation that identified it says (seed 001 is the Hưng Yên chairman's
                Chỉ thị because seed 000 cites it so);
- `citation`    an external document: its issuer as the citing text writes it (`UBND tỉnh
                Quảng ninh`), read by the registry;
- `citing`      an external document whose issuer is relative (`Ban Thường vụ Tỉnh ủy`,
                `Tỉnh ủy` without a name) belongs to the province of the local document citing it;
- `parent`      a district or commune document without a province takes the province of a
                local (province or district level) document it implements; repeated until
                nothing changes, so 000 gets Hưng Yên through 001, identified above;
- `symbol`      the level of an external document from its symbol (`NĐ-CP`, `NQ/TW`: central);
- `place`       last resort for a local document: the date line's place (`Lâm Đồng, ngày …`), a
                province or a commune found in one province only;
- `title`       or the one province its title names (`… của tỉnh Lâm Đồng`).

Everything not from `header` is marked inferred: `province_inferred` / `level_inferred`.
"""
from __future__ import annotations

import re
from typing import Optional

from cascade.registry import current_province, find_communes, symbol_issuer

LOCAL_LEVELS = ("province", "district", "commune")
LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}


def symbol_level(key: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(level, issuer name) of a key's symbol via the registry, e.g. 'NĐ-CP' -> central, Chính phủ."""
    if not key or ("/" not in key and "-" not in key):
        return None, None
    body = symbol_issuer(key)
    level = getattr(body, "level", None)
    if level not in LEVEL_RANK:     # "*" / "inherit": the level depends on the unit named
        return None, None
    return level, getattr(body, "name", None)


def _set(attrs: dict, field: str, value, source: str) -> bool:
    if not value or attrs.get(field):
        return False
    attrs[field] = value
    attrs[f"{field}_source"] = source
    attrs[f"{field}_inferred"] = source != "header"
    return True


def place_province(place: Optional[str]) -> Optional[str]:
    """The province of a date-line place name: a province (`Lâm Đồng`) or a commune found in
    one province only (`Uông Bí` → Quảng Ninh; `Đại Sơn` is in two: None)."""
    if not place:
        return None
    p = current_province(place)
    if p is not None:
        return p.name
    provs = {current_province(c.province).name for c in find_communes(place) if current_province(c.province)}
    return provs.pop() if len(provs) == 1 else None


_TITLE_PROVINCE = re.compile(r"(?:tỉnh|Tỉnh|TỈNH|thành phố|Thành phố|THÀNH PHỐ)\s+((?:[A-ZĐÂĂÊÔƠƯ][^\s,.;:()]*)(?:\s+[A-ZĐÂĂÊÔƠƯ][^\s,.;:()]*){0,3})")


def title_province(title: Optional[str]) -> Optional[str]:
    """The one province a title names (`… năm 2025 của tỉnh Lâm Đồng`), or None."""
    if not title:
        return None
    found = set()
    for m in _TITLE_PROVINCE.finditer(title):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):    # longest name first: "Hồ Chí Minh", "Lâm Đồng"
            p = current_province(" ".join(words[:n]))
            if p is not None:
                found.add(p.name)
                break
    return found.pop() if len(found) == 1 else None


def infer(G, relative_province: dict, hints: Optional[dict] = None) -> None:
    """Fill `province` and `level` on graph nodes in place.

    G: the cascade DiGraph (edges child -> parent) with node attributes already holding what the
    documents and citations say; relative_province: external node -> citing doc nodes whose
    province it shares when its issuer names none (collected by build); hints: doc node ->
    {"place": date-line place, "title": title}, the last resort for a local document.
    """
    _propagate(G, relative_province)
    if not hints:
        return
    changed = False
    for n, h in hints.items():
        a = G.nodes[n]
        if a.get("province") or a.get("level") not in LOCAL_LEVELS:
            continue
        p = place_province(h.get("place"))
        if p:
            changed |= _set(a, "province", p, f"place:{h['place']}")
            continue
        p = title_province(h.get("title"))
        if p:
            changed |= _set(a, "province", p, "title")
    if changed:
        _propagate(G, relative_province)


def _propagate(G, relative_province: dict) -> None:
    nodes = G.nodes
    # external levels from their symbols
    for n, a in nodes(data=True):
        if not a.get("level") and a.get("key"):
            lvl, _name = symbol_level(a["key"])
            _set(a, "level", lvl, "symbol")
    changed = True
    rounds = 0
    while changed and rounds < 20:
        changed = False
        rounds += 1
        for n, a in nodes(data=True):
            if a.get("province"):
                continue
            if a.get("level") == "central":
                continue
            # a relative issuer (Tỉnh ủy, UBND tỉnh) cited by a document of known province
            for citing in relative_province.get(n, ()):
                p = nodes[citing].get("province")
                if p and nodes[citing].get("level") in LOCAL_LEVELS:
                    changed |= _set(a, "province", p, f"citing:{nodes[citing].get('label') or citing}")
                    break
            if a.get("province"):
                continue
            # a local document implementing a local one takes its province
            for _, parent, e in G.out_edges(n, data=True):
                if e.get("relation") != "implements":
                    continue
                pa = nodes[parent]
                if pa.get("province") and pa.get("level") in ("province", "district"):
                    if LEVEL_RANK.get(a.get("level") or "", 9) >= LEVEL_RANK[pa["level"]]:
                        changed |= _set(a, "province", pa["province"], f"parent:{pa.get('label') or parent}")
                        break
