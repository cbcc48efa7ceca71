"""The risk categories and their guidance, written for people who are "medically aware,
not medically trained": what to look for, what to do now, when to call 999 or 111, and
who to tell. No diagnosis is ever asked for.

Used by the data migration that seeds every environment, and by `ensure_categories` for
databases emptied since (tests that empty tables, a fresh demo)."""

from __future__ import annotations

EMERGENCY = (
    "Call 999 if they are unconscious, struggling to breathe, have chest pain, have signs of a stroke "
    "(face drooping, arm weakness, slurred speech), are bleeding heavily, or you think their life is in danger. "
)
ONE_ONE_ONE = "Call 111 if they need medical help soon but it is not an emergency. "
TELL_US = "Report it here so the right person can follow it up, and mention it to your team leader."

# group, slug, name, what to look for, what to do now, when to call 999 or 111, who to tell
CATEGORIES = [
    (
        "health",
        "falls-mobility",
        "Falls and mobility",
        "A fall, even a small one; bruises they cannot explain; holding on to furniture; a new limp; fear of "
        "falling; loose rugs or trailing wires.",
        "If they have fallen and are hurt, do not try to lift them: keep them warm and comfortable. If they are "
        "unhurt, help them get up slowly only if they can do most of it themselves.",
        EMERGENCY + "Call 111 if they fell and seem confused, cannot get up, or hit their head.",
        "Their GP practice should know about any fall. " + TELL_US,
    ),
    (
        "health",
        "medication",
        "Medication",
        "Tablets left in their packets or piling up; confusion about what to take; running out; side effects "
        "they mention, such as dizziness or sleepiness.",
        "Do not handle or sort their tablets yourself. Ask if they would like help from their pharmacist or GP.",
        EMERGENCY + "Call 111 if they may have taken too many tablets or the wrong ones.",
        "Their GP practice or community pharmacist. " + TELL_US,
    ),
    (
        "health",
        "memory-confusion",
        "Memory and confusion",
        "Forgetting things that matter, such as meals or appointments; getting lost; confusion that is new "
        "or has come on suddenly.",
        "Stay calm and reassuring. Sudden confusion can be a sign of an infection that needs treating quickly.",
        EMERGENCY + "Call 111 if the confusion came on suddenly over hours or a day or two.",
        "Their GP practice, and their next of kin if the client agrees. " + TELL_US,
    ),
    (
        "health",
        "nutrition-hydration",
        "Eating and drinking",
        "Little food in the house; out-of-date food; weight loss (loose clothes or rings); not drinking much; "
        "dry mouth; dark urine they mention.",
        "Offer a drink and something to eat if they would like it. Ask what help with shopping or meals they "
        "would accept.",
        ONE_ONE_ONE + "Call 999 if they are very drowsy or cannot be woken properly.",
        "Their GP practice or a meals or shopping service in the directory. " + TELL_US,
    ),
    (
        "health",
        "continence",
        "Continence",
        "Smell of urine; wet clothes or bedding; mentions of rushing to the toilet or of accidents; stopping "
        "going out because of it.",
        "Be kind and matter-of-fact: it is common and can often be helped.",
        ONE_ONE_ONE + "A sudden change, pain or blood in the urine needs medical advice soon.",
        "Their GP practice or the continence service. " + TELL_US,
    ),
    (
        "health",
        "skin-pressure",
        "Skin and pressure sores",
        "Red or dark patches that do not fade on heels, hips or the bottom; sores; staying in one chair or bed "
        "for most of the day.",
        "Do not treat the skin yourself. Encourage them to change position if they can.",
        ONE_ONE_ONE + "Broken skin that is hot, swollen or smelly needs medical advice soon.",
        "Their GP practice or the district nurses. " + TELL_US,
    ),
    (
        "health",
        "pain",
        "Pain",
        "Wincing, holding part of the body, not wanting to move, saying they are in pain or not sleeping "
        "because of it.",
        "Ask where it hurts and how long it has been like this. Do not give them any medicine.",
        EMERGENCY + "Call 111 for new, severe or worsening pain.",
        "Their GP practice. " + TELL_US,
    ),
    (
        "social",
        "loneliness-isolation",
        "Loneliness and isolation",
        "Nobody else visiting; not going out; saying days are long; no phone calls or post; losing touch "
        "with friends.",
        "Listen. Ask what they used to enjoy and whether they would like to meet people or have more visits.",
        "This is rarely an emergency. " + ONE_ONE_ONE,
        "Befriending and social groups in the directory. " + TELL_US,
    ),
    (
        "social",
        "mood",
        "Low mood",
        "Seeming sad, flat or tearful; losing interest in things; not looking after themselves; saying they "
        "feel hopeless or a burden.",
        "Give them time to talk, and take what they say seriously.",
        "Call 999 if they tell you they plan to end their life or have harmed themselves. Call 111 (option 2 "
        "for mental health) if you are worried about how low they are.",
        "Their GP practice. " + TELL_US,
    ),
    (
        "social",
        "carer-strain",
        "Carer strain",
        "The person who looks after them seems exhausted, unwell or at the end of their tether; the care "
        "they need has grown.",
        "Acknowledge how hard caring is. Ask the carer whether they would like support for themselves.",
        "Call 999 if anyone is in danger.",
        "Carers' support in the directory. " + TELL_US,
    ),
    (
        "social",
        "money-scams",
        "Money and scams",
        "Unopened bills; red letters; talk of prizes, new 'friends' asking for money, or cold callers; "
        "no money for food or heating.",
        "Do not handle their money or paperwork. Suggest they do not pay anyone until someone they trust has "
        "checked.",
        "Call 999 if a scammer is at the door now. Otherwise this is not a 999 or 111 matter.",
        "Benefits and money advice in the directory. " + TELL_US,
    ),
    (
        "social",
        "safeguarding",
        "Safeguarding (abuse or neglect)",
        "Signs that someone may be harming, neglecting or exploiting them: unexplained injuries, fear of a "
        "person, money going missing, being left without care.",
        "Do not investigate or confront anyone. Write down what you saw and heard, in their words.",
        "Call 999 if they are in immediate danger.",
        "Report it here as urgent, and phone your team leader today. " + TELL_US,
    ),
    (
        "environmental",
        "heating-cold",
        "Heating and cold",
        "A cold house; heating off to save money; wearing coats indoors; damp or mould.",
        "Suggest warm drinks and layers. Ask whether they can afford to heat the home.",
        "Call 111 if they seem very cold, drowsy or confused. Call 999 if they are unresponsive.",
        "Heating and money advice in the directory. " + TELL_US,
    ),
    (
        "environmental",
        "home-safety",
        "Home safety and hazards",
        "No working smoke alarm; trip hazards; overloaded sockets; gas smell; broken locks; cluttered exits.",
        "If you smell gas, open windows, do not use switches, and call the gas emergency line (0800 111 999).",
        "Call 999 for a fire or if someone is hurt.",
        "The fire service's free safe-and-well visit, in the directory. " + TELL_US,
    ),
    (
        "environmental",
        "housing",
        "Housing",
        "The home no longer suits them (stairs, repairs, damp); trouble with a landlord; risk of losing it.",
        "Ask what would make the home work for them.",
        "This is rarely an emergency.",
        "Housing services in the directory. " + TELL_US,
    ),
    (
        "environmental",
        "transport",
        "Transport",
        "Missing appointments or shopping because they cannot get there; no bus nearby; given up driving.",
        "Ask which journeys matter most to them.",
        "This is rarely an emergency.",
        "Community transport in the directory. " + TELL_US,
    ),
    (
        "environmental",
        "building-access",
        "Getting in and out of the home",
        "Steps they cannot manage; no rail; a door they cannot open; nowhere safe to sit by the door.",
        "Note exactly what the difficulty is: it helps the people who can fix it.",
        "This is rarely an emergency.",
        "Home adaptations in the directory. " + TELL_US,
    ),
]


def ensure_categories(category_model) -> int:
    """Create any missing category; leave edited guidance alone. Returns how many were made."""
    made = 0
    for position, (group, slug, name, look_for, do_now, emergency, who_to_tell) in enumerate(CATEGORIES):
        _, created = category_model.objects.get_or_create(
            slug=slug,
            defaults={
                "group": group,
                "name": name,
                "look_for": look_for,
                "do_now": do_now,
                "emergency": emergency,
                "who_to_tell": who_to_tell,
                "position": position,
            },
        )
        made += created
    return made
