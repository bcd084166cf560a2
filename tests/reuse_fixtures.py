"""Small texts written for these tests (no third-party text): one original and its relatives."""

from __future__ import annotations

ORIGINAL = (
    "The Marrow Creek town council voted 7 to 2 on Tuesday to spend $4.3 million repairing the "
    "Alder Street bridge, which has been closed to trucks since March.\n"
    "Engineers from Hollis & Grant found corrosion in 14 of the bridge's 36 steel girders during "
    "an inspection last autumn.\n"
    "\"We cannot keep sending school buses on a 12-mile detour,\" said council member Ruth Okafor, "
    "who proposed the repair plan.\n"
    "Work is expected to start on June 3 and to last about five months, according to the town's "
    "public works director, Daniel Brisk.\n"
    "Two members, Pete Lindqvist and Sara Moy, voted against the plan, arguing that the town "
    "should first apply for a state grant.\n"
    "The repair will be paid for from the town's capital reserve, which held $9.1 million at the "
    "end of last year.\n"
    "Residents of the east side have complained for months about longer trips to the hospital "
    "and the feed mill.\n"
    "The council will hold a public meeting on the construction schedule on May 12 at the "
    "Marrow Creek library."
)

# Verbatim copy at another address.
COPY = ORIGINAL

# A light edit: a sentence dropped, a few words changed.
EDIT = (
    "The Marrow Creek town council voted 7 to 2 on Tuesday to spend $4.3 million repairing the "
    "Alder Street bridge, which has been closed to trucks since March.\n"
    "Engineers from Hollis & Grant found corrosion in 14 of the bridge's 36 steel girders during "
    "an inspection last fall.\n"
    "\"We cannot keep sending school buses on a 12-mile detour,\" said council member Ruth Okafor, "
    "who proposed the repair plan.\n"
    "Work is expected to start on June 3 and to last about five months, according to the town's "
    "public works director, Daniel Brisk.\n"
    "Two members, Pete Lindqvist and Sara Moy, voted against the plan, arguing that the town "
    "should first apply for a state grant.\n"
    "The repair will be paid for from the town's capital reserve, which held $9.1 million at the "
    "end of last year.\n"
    "The council will hold a public meeting about the construction schedule on May 12 at the "
    "Marrow Creek library."
)

# A paraphrase of most of the content, specifics dropped, framing added.
REWRITE = (
    "SHOCKING: Marrow Creek finally acts on its crumbling Alder Street bridge!\n"
    "In a divided vote this week, the Marrow Creek town council approved millions of dollars to "
    "fix the Alder Street bridge, shut to heavy trucks since the spring.\n"
    "An engineering inspection had uncovered corrosion in a large share of the bridge's steel "
    "girders, a truly alarming discovery.\n"
    "Council member Ruth Okafor, who put the repair plan forward, said school buses could no "
    "longer be sent on long detours.\n"
    "Construction is due to begin in early summer and should take several months, the public "
    "works director said.\n"
    "A minority of the council opposed the plan and wanted the town to seek a state grant first.\n"
    "The money will come out of the town's capital reserve.\n"
    "A public meeting on the construction schedule will be held at the library."
)

# The same event, reported independently: different angle, facts and wording. NOT reuse.
SAME_STORY = (
    "Truck drivers who serve farms around Marrow Creek say they have lost hours every week since "
    "the Alder Street bridge was restricted.\n"
    "Hauler Tomasz Wren estimates the closure has added $300 a week in fuel to his costs.\n"
    "At the Hillside feed co-op, manager Ines Carvalho said deliveries now arrive late in the "
    "afternoon instead of the morning.\n"
    "On Tuesday evening the council agreed on a repair, but Wren doubts the timetable.\n"
    "\"I have heard promises about that bridge for ten years,\" he said while unloading grain.\n"
    "The county highway department has offered a temporary weight permit for lighter vehicles.\n"
    "Farmers plan to raise the issue again at the county fair board in August."
)

# Another topic altogether.
UNRELATED = (
    "The Pine Hollow library is launching a seed exchange this spring, letting gardeners borrow "
    "packets of tomato, bean and squash seeds.\n"
    "Borrowers are asked to return seeds from their own harvest in the autumn.\n"
    "Librarian Mae Tollis said 40 families signed up in the first week.\n"
    "The exchange is funded by a small grant from the regional arts council.\n"
    "Workshops on saving seeds will run on Saturday mornings through April."
)
