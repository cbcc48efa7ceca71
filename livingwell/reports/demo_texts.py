"""The words of the reports' demo story: invented people, what volunteers saw, what came of
it, and the feedback cards of the Alverton trial. Every client name here is made up (and
meant to sound it); none is a real person."""

from __future__ import annotations

from risks.models import OutcomeKind
from volunteers.models import Skill

# --- People ----------------------------------------------------------------------------------

# username, first name, last name, area, skills, capacity, MDT opt-in, own practice code,
# the practices of the clients they visit (by code).
VOLUNTEERS = [
    (
        "loveday",
        "Loveday",
        "Kettlewhistle",
        "West Cornwall",
        [Skill.BEFRIENDER, Skill.FORMER_NURSE],
        5,
        True,
        None,
        ["L85004", "L85004", "L85004", "L85004"],
    ),
    (
        "senara",
        "Senara",
        "Penfeather",
        "West Cornwall",
        [Skill.CARER, Skill.DEMENTIA_FRIEND],
        4,
        True,
        None,
        ["L85004", "L85004", "L85004", "L85030"],
    ),
    (
        "conan",
        "Conan",
        "Fogworthy",
        "West Cornwall",
        [Skill.DRIVER, Skill.DIY],
        4,
        True,
        None,
        ["L85004", "L85004", "L85015", "L85015"],
    ),
    (
        "gerens",
        "Gerens",
        "Mizzleby",
        "West Cornwall",
        [Skill.DIGITAL, Skill.BENEFITS],
        4,
        False,
        None,
        ["L85015", "L85015", "L85037", "L85037"],
    ),
    (
        "hedra",
        "Hedra",
        "Gorseberry",
        "West Cornwall",
        [Skill.BEFRIENDER, Skill.BEREAVEMENT],
        4,
        False,
        "L85030",
        ["L85030", "L85030", "L85037", "L85037"],
    ),
    (
        "jowan",
        "Jowan",
        "Saffronwick",
        "Central Cornwall",
        [Skill.DRIVER, Skill.BEFRIENDER],
        4,
        False,
        None,
        ["L85016", "L85016", "L85033", "L85066"],
    ),
    (
        "steren",
        "Steren",
        "Clotterby",
        "Central Cornwall",
        [Skill.CARER, Skill.FIRST_AID],
        4,
        True,
        None,
        ["L85033", "L85033", "L85066", "L85066"],
    ),
    (
        "kensa",
        "Kensa",
        "Limpetstone",
        "Central Cornwall",
        [Skill.BENEFITS, Skill.DIGITAL],
        4,
        False,
        None,
        ["L85016", "L85066", "L85066", "L85033"],
    ),
    (
        "talan",
        "Talan",
        "Drizzlecombe",
        "East Cornwall",
        [Skill.DIY, Skill.DRIVER],
        4,
        False,
        None,
        ["L85021", "L85021", "L85023", "L85055"],
    ),
    (
        "morvoren",
        "Morvoren",
        "Heathernook",
        "East Cornwall",
        [Skill.BEFRIENDER, Skill.DEMENTIA_FRIEND],
        4,
        True,
        None,
        ["L85023", "L85023", "L85055", "L85055"],
    ),
    (
        "goron",
        "Goron",
        "Tinmouth",
        "East Cornwall",
        [Skill.FORMER_NURSE, Skill.BEREAVEMENT],
        4,
        False,
        None,
        ["L85021", "L85055", "L85055", "L85023"],
    ),
]

# The demo's own volunteers (from volunteers.demo) visited other clients before the ones
# they visit now: two each, whose visits ended when their present clients began.
EARLIER_CLIENTS = {
    "vera": ["L85004", "L85004"],
    "jago": ["L85004", "L85030"],
    "wenna": ["L85015", "L85037"],
    "victor": ["L85066", "L85016"],
    "tamsin": ["L85033", "L85016"],
    "kerensa": ["L85016", "L85066"],
    "piran": ["L85033", "L85033"],
    "demelza": ["L85021", "L85055"],
    "bryok": ["L85023", "L85021"],
    "elowen": ["L85055", "L85023"],
}
VISITS_ENDED_BECAUSE = [
    "Moved into a care home",
    "Moved to live with family out of the county",
    "No longer wanted visits",
]

# username, first name, last name, what they do
CLINICIAN = ("ollie", "Oliver", "Spargo", "Community matron, Alverton Practice")

CLIENT_FIRST_NAMES = [
    "Gladys",
    "Horace",
    "Myrtle",
    "Clarence",
    "Ethel",
    "Ambrose",
    "Doris",
    "Digory",
    "Maud",
    "Osbert",
    "Lilian",
    "Jabez",
    "Nora",
    "Silas",
    "Olive",
    "Tobias",
    "Enid",
    "Hedley",
    "Hettie",
    "Cornelius",
    "Peggy",
    "Lemuel",
    "Rosina",
    "Ebenezer",
    "Thirza",
    "Zebedee",
    "Jenefer",
    "Rupert",
    "Bessie",
    "Obadiah",
    "Dulcie",
    "Sidney",
    "Cissie",
    "Thaddeus",
    "Loveday",
    "Wilbur",
]
CLIENT_LAST_NAMES = [
    "Bramblecombe",
    "Puffinstone",
    "Pilchardson",
    "Scillyford",
    "Wrecklin",
    "Kittiwake",
    "Tregrumble",
    "Penwhistle",
    "Saltwhistle",
    "Crabapple",
    "Gullhaven",
    "Seapink",
    "Trethrumble",
    "Polbramble",
    "Mizzenmast",
    "Thriftwell",
    "Cloudesley",
    "Wheelbarrow",
    "Periwinkle",
]
PRACTICAL_NEEDS = [
    "Key safe by the side door; the code is with the coordinator. Two elderly cats.",
    "Walks with a stick; please give time to reach the door. Best after 11am.",
    "Up a farm track: the last half mile is rough after rain. Park by the barn.",
    "Ground-floor flat; ring and wait. Likes the radio on quietly during visits.",
    "Hard of hearing: knock on the kitchen window. Keeps a diary of visits.",
    "Steep garden steps with a handrail on the left only. Dog is friendly but loud.",
]
COMMUNICATION_NEEDS = [
    "Hearing aid in the right ear; face them when you speak.",
    "",
    "Short of breath: shorter visits help.",
    "Some memory loss: a note of what was agreed helps.",
    "",
]

# --- What volunteers saw ----------------------------------------------------------------------

SEEN = {
    "falls-mobility": [
        "{called} had a bruise on the forehead and said she slipped getting out of the bath.",
        "{called} is holding on to the furniture to get round the room and nearly fell by the stairs.",
        "{called} told me about two falls this month, one in the garden; did not press the pendant.",
    ],
    "medication": [
        "{called} has a new prescription but the old tablets are still in the dosette box as well.",
        "Tablets for the last week were still in the blister pack; {called} says they make them dizzy.",
    ],
    "memory-confusion": [
        "{called} did not know what day it was and had left the gas ring on with nothing on it.",
        "{called} asked me three times who I was; the neighbour says this is new in the last fortnight.",
    ],
    "nutrition-hydration": [
        "The fridge was empty apart from milk that had gone off; {called} said they are not hungry.",
        "{called} looks thinner and the clothes are loose; only tea and biscuits since the weekend.",
    ],
    "continence": [
        "Smell of urine in the sitting room and {called} is embarrassed about accidents at night.",
    ],
    "skin-pressure": [
        "{called} showed me a sore on the heel that is red and weeping; sits in the same chair all day.",
    ],
    "pain": [
        "{called} could hardly lift the kettle because of pain in the shoulder and has stopped going out.",
        "{called} winced when standing and says the back pain keeps them awake most nights.",
    ],
    "loneliness-isolation": [
        "{called} said I was the first person they had spoken to all week.",
        "Since the bus route changed, {called} has not been to the chapel coffee morning and misses it.",
    ],
    "mood": [
        "{called} was tearful all visit and said there is nothing to get up for since the dog died.",
        "{called} has stopped doing the crossword and says everything is too much bother.",
    ],
    "carer-strain": [
        "{called}'s husband, who cares for them, looked exhausted and has not slept properly for weeks.",
        "The daughter who cares for {called} is ill herself and cannot keep coming every day.",
    ],
    "money-scams": [
        "{called} had a pile of unopened bills and a red letter from the electricity company.",
        "{called} had been phoned by someone from 'the bank' asking for card details and gave some.",
    ],
    "safeguarding": [
        "A nephew who has moved in takes {called}'s pension and {called} seemed frightened of him.",
        "{called} had bruises on both arms and would not say how they happened.",
    ],
    "heating-cold": [
        "The house was very cold; {called} sits in a coat and only heats the kitchen.",
        "The boiler has broken and {called} is using an old electric fire with a frayed cable.",
    ],
    "home-safety": [
        "Loose stair carpet and no light on the landing; {called} goes up in the dark.",
        "The smoke alarm has no battery and there are candles on the windowsill.",
    ],
    "housing": [
        "Damp and black mould in the bedroom; the landlord has not answered {called}'s letters.",
        "The roof leaks into the back bedroom when it rains and the ceiling is bulging.",
    ],
    "transport": [
        "{called} has a hospital appointment in Truro next week and no way of getting there.",
        "Since giving up the car, {called} cannot get to the shops or the surgery.",
    ],
    "building-access": [
        "{called} cannot manage the front steps any more and has not been outside for a month.",
        "The back door sticks and {called} cannot get out to the bins or the washing line.",
    ],
}

# Things volunteers say they did there and then, and what clients want.
ACTION_TAKEN = [
    "Talked it through with them and said I would let the team know.",
    "Made a cup of tea, stayed a while longer and wrote down what they told me.",
    "Checked they had the number for the surgery and said I would tell my coordinator.",
    "",
]
CLIENT_WISHES = [
    "Would like some help but does not want a fuss.",
    "Wants to stay at home and manage with a bit of support.",
    "Happy for us to speak to the surgery.",
    "",
]

# --- Where concerns were passed on, and what came of them ---------------------------------

# The kinds of outcome that usually follow a concern of each category.
OUTCOME_KINDS = {
    "falls-mobility": [OutcomeKind.HOME_MADE_SAFER, OutcomeKind.HEALTH_CHECKED, OutcomeKind.SUPPORT_ARRANGED],
    "medication": [OutcomeKind.HEALTH_CHECKED, OutcomeKind.SUPPORT_ARRANGED],
    "memory-confusion": [OutcomeKind.HEALTH_CHECKED, OutcomeKind.SUPPORT_ARRANGED, OutcomeKind.CONNECTED],
    "nutrition-hydration": [OutcomeKind.SUPPORT_ARRANGED, OutcomeKind.HEALTH_CHECKED],
    "continence": [OutcomeKind.HEALTH_CHECKED, OutcomeKind.SUPPORT_ARRANGED],
    "skin-pressure": [OutcomeKind.HEALTH_CHECKED],
    "pain": [OutcomeKind.HEALTH_CHECKED],
    "loneliness-isolation": [OutcomeKind.CONNECTED],
    "mood": [OutcomeKind.CONNECTED, OutcomeKind.HEALTH_CHECKED],
    "carer-strain": [OutcomeKind.SUPPORT_ARRANGED, OutcomeKind.ADVICE_GIVEN],
    "money-scams": [OutcomeKind.MONEY_OR_BENEFITS, OutcomeKind.ADVICE_GIVEN],
    "safeguarding": [OutcomeKind.SUPPORT_ARRANGED],
    "heating-cold": [OutcomeKind.HOME_MADE_SAFER, OutcomeKind.MONEY_OR_BENEFITS],
    "home-safety": [OutcomeKind.HOME_MADE_SAFER],
    "housing": [OutcomeKind.HOME_MADE_SAFER, OutcomeKind.ADVICE_GIVEN],
    "transport": [OutcomeKind.SUPPORT_ARRANGED],
    "building-access": [OutcomeKind.HOME_MADE_SAFER],
}

# kind: (for staff, for the volunteer); {called} is the client, {target} who helped.
OUTCOME_WORDS = {
    OutcomeKind.SUPPORT_ARRANGED: (
        "{target} assessed and put support in place; review booked in a month.",
        "Thanks to you, {called} now has regular help from {target}.",
    ),
    OutcomeKind.HEALTH_CHECKED: (
        "Seen at home by {target}; treatment changed and a follow-up booked.",
        "Thanks to you, {called} has been seen by {target} and is feeling better.",
    ),
    OutcomeKind.HOME_MADE_SAFER: (
        "{target} visited; equipment fitted and hazards dealt with.",
        "Thanks to you, {called}'s home is safer: {target} has been round and sorted it out.",
    ),
    OutcomeKind.CONNECTED: (
        "{target} in touch; weekly calls and a lunch club place arranged.",
        "Thanks to you, {called} has a weekly call and goes to a lunch club now.",
    ),
    OutcomeKind.MONEY_OR_BENEFITS: (
        "{target} did a benefits check; Attendance Allowance claimed and arrears plan agreed.",
        "Thanks to you, {called} is now getting the money they were entitled to.",
    ),
    OutcomeKind.ADVICE_GIVEN: (
        "{target} gave advice and written information; no further referral needed.",
        "Thanks to you, {called} has had good advice from {target} and knows who to call.",
    ),
    OutcomeKind.CLIENT_DECLINED: (
        "Help offered by {target}; the client declined for now. Volunteer to keep an eye.",
        "Thank you for telling us. {called} did not want help just now; we will ask again later.",
    ),
    OutcomeKind.NO_FURTHER_ACTION: (
        "Looked into with {target}: already in hand, nothing more needed.",
        "Thank you: we checked, and {called} already has what they need.",
    ),
    OutcomeKind.OTHER: (
        "Family meeting held with {target}; plan agreed with the client.",
        "Thanks to you, {called}'s family and {target} have agreed a plan together.",
    ),
}

NO_ACTION_REASONS = [
    "No action needed: family already sorting it",
    "No action needed: GP already aware and reviewing",
    "No action needed: the client is managing well now",
]
REOPEN_NOTES = [
    "Reopened: it has happened again since the outcome was recorded.",
    "Reopened: the help arranged has stopped; the volunteer rang to say so.",
    "Reopened: the client has changed their mind and would now like help.",
]
TRIAGE_NOTES = ["I'll take this one.", "Taking this: I will ring the client today.", ""]

# --- Meetings ---------------------------------------------------------------------------------

FORMAL_NOTES = [
    "Winter checks on heating and blankets; the new falls clinic; reminders about DBS renewals.",
    "Scams at the door and on the phone; what to do when a client refuses help.",
    "Talk from the district nursing team about pressure sores; summer heat and drinking enough.",
    "Transport to hospital appointments; the lunch club timetable; training dates.",
    "Carers' strain and where to point families; sharing good news from last month.",
]
COFFEE_NOTES = [
    "Loneliness over the winter; buses that no longer run; what to say when help is refused.",
    "Keeping warm on a budget; the new memory café in Truro; a volunteer's story of a good outcome.",
    "Falls at home; who to ring out of hours; looking after ourselves as volunteers.",
    "Scam letters; lunch clubs reopening; getting prescriptions delivered.",
]
CANCELLED_BECAUSE = "The library was closed for repairs; concerns went to the next meeting."

# --- The Alverton trial -------------------------------------------------------------------

TRIAL_TITLE = "Volunteers at Alverton Practice's Multi-Disciplinary Team meeting"
TRIAL_DESCRIPTION = (
    "Volunteers who visit a client registered at Alverton Practice, who have opted in and "
    "signed the NHS confidentiality agreement, come to the practice's fortnightly "
    "Multi-Disciplinary Team meeting for their own client's item, with the client's consent, "
    "under the practice's local protocol. Their clients are taken first so they can leave early."
)
TRIAL_DECISION_REASON = (
    "Concerns raised by volunteers reached the meeting and got an outcome sooner than in the "
    "baseline, and the clinicians' cards say the volunteers' picture of home life changed "
    "what they decided. But every group named the consent forms and the drive to Penzance "
    "for a fifteen-minute item, and three months is too short to be sure. Extend for six "
    "months at Alverton, offer volunteers a phone or video link for their item, and use the "
    "one-page consent form; then decide whether to adopt it across West Cornwall."
)

# role, username of the person who entered it (a manager types up board members' paper
# cards), opportunities, limitations
CARDS = [
    (
        "board_member",
        "mona",
        "Volunteers see our clients every week at home, which the GP may not have done for a "
        "year. Bringing that to the meeting is exactly the coproduction the programme was set "
        "up for, and it shows the charity's volunteers are trusted partners of the NHS.",
        "It depends on a handful of keen volunteers. We need to know what it costs in "
        "coordinator time before we scale it up, and who is liable if something said at the "
        "meeting goes wrong.",
    ),
    (
        "board_member",
        "mona",
        "A clear story for funders: concerns reached a clinician sooner and more of them ended "
        "in something practical being done. Volunteers say they feel listened to.",
        "Three months and one practice is a small sample. I would want to see it work in a "
        "practice that was less enthusiastic to begin with.",
    ),
    (
        "board_member",
        "mona",
        "Good for volunteer retention: being asked for your view by a doctor is a real "
        "recognition of what volunteers do.",
        "Confidentiality must stay watertight. One slip would set the whole programme back, so "
        "the training and the signed agreement must never be skipped.",
    ),
    (
        "manager",
        "mona",
        "The figures show the Multi-Disciplinary Team route acting on concerns in about a week, "
        "against nearer a fortnight for the formal monthly meeting. It gives us evidence, not "
        "just anecdotes, for the board.",
        "Volunteers travelling to Penzance for one item is a lot to ask in rural Cornwall, and "
        "mileage adds up. We need a remote option before rolling it out.",
    ),
    (
        "coordinator",
        "cora",
        "I no longer have to relay everything second-hand. The volunteer tells the meeting "
        "what they saw, the nurse asks the questions she needs, and I leave with an action "
        "and a name instead of 'we'll look into it'.",
        "The consent paperwork takes a visit on its own: three forms for one meeting. Getting "
        "the agenda out in time for volunteers to arrange their day is also a squeeze.",
    ),
    (
        "team_leader",
        "tom",
        "Fewer calls to the phone line about things that were not urgent but had waited "
        "weeks for the monthly meeting: the fortnightly meeting caught them in time.",
        "It only helps clients at one practice. Volunteers with clients at two practices would "
        "need to attend two meetings, which few can.",
    ),
    (
        "volunteer",
        "vera",
        "I know how she really is at home: the cold kitchen, the post piling up, the tablets "
        "she hides. Being asked about it made me feel part of her care, and I heard back "
        "what was done.",
        "I was nervous the first time and unsure what I was allowed to say. Parking at the "
        "surgery is hard and the meeting once ran forty minutes late.",
    ),
    (
        "volunteer",
        "jago",
        "The doctors listened. A falls referral happened the same week instead of after the "
        "next monthly meeting.",
        "It is a long drive from St Just for fifteen minutes, and I had to take time off "
        "work. A phone link would mean I could do it more often.",
    ),
    (
        "volunteer",
        "loveday",
        "I could explain that the client will not open the door to strangers, so the nurse "
        "rang me to arrange the visit together. Practical things like that make help work.",
        "Some of the language was medical and went over my head. A short glossary or a word "
        "from the chair beforehand would help new volunteers.",
    ),
    (
        "volunteer",
        "senara",
        "Meeting the practice nurse face to face means I can ring her now. Trust goes both ways.",
        "Not every client agreed to me going, and I worried about what they would think if "
        "they knew I had talked about them, even with their consent.",
    ),
    (
        "volunteer",
        "conan",
        "I could report back to the client what the doctor had decided, in plain words, the same day.",
        "The meeting is at lunchtime, which is when I usually visit. I missed two of my own "
        "visits to attend.",
    ),
    (
        "clinician",
        "nina",
        "Volunteers gave us the practical picture we never get in a ten-minute appointment: "
        "who is really doing the shopping, whether the heating is on, how steep the stairs "
        "are. It changed two care plans.",
        "Time is tight: each extra voice adds minutes to an already full agenda, and we "
        "sometimes had to cut other patients short. Volunteers' items need a firm time slot.",
    ),
    (
        "clinician",
        "ollie",
        "As community matron I could plan a joint visit with the volunteer, which made the "
        "client far more willing to let us in.",
        "We must be careful volunteers are not drawn into giving clinical opinions, and that "
        "what they hear about other patients stays in the room.",
    ),
    (
        "mdt_chair",
        "drchen",
        "Taking volunteers' clients first worked well and kept their time short. Their "
        "observations were specific and useful, and the protocol checklist gave me "
        "confidence that consent and confidentiality were in place.",
        "Checking the protocol for each item adds work for the chair, and the consent forms "
        "arrive in different versions. A single consent form and a remote option for rural "
        "volunteers would make this sustainable.",
    ),
]
