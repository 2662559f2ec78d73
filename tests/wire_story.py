"""A small inline story for the view and plain-mode tests: a wire, a session that
waits for the clock, an event at 17:00, a historical ending and another one.

The historical path (keep, sit, sit, then the 17:00 event, face) is worked
out by hand in the tests that use it; the story is written here so those
tests do not depend on the shipped scenes/.
"""

MANIFEST = """\
title: The Wire
id: wire
history: true
start: office
clock: {start: "15:30", end: "20:00"}
variables:
  resolve: {type: int, default: 2, range: [0, 5], label: Resolve, shown: true}
  told: {type: bool, default: false}
sources:
  SP: "W. S. Woytinsky, Stormy Passage (1961)"
glossary:
  - {id: chkheidze, term: Nikolai Chkheidze, kind: person, match: [Chkheidze], text: Chaired the Petrograd Soviet., sources: [SP]}
  - {id: tauride, term: Tauride Palace, kind: place, match: [the Tauride], text: Seat of the Soviet in 1917.}
  - {id: hall, term: Catherine Hall, kind: place, text: The great hall of the palace.}
  - {id: kronstadt, term: Kronstadt, kind: place, text: The naval base off Petrograd.}
"""

SCENES = """\
hour: {title: Four o'clock}
scenes:
  - id: office
    title: The wire
    time: "16:00"
    place: tauride
    text: |
      Chkheidze hands you the form. Resolve is {resolve}.
    history: {note: Chkheidze kept the wire back., sources: [SP]}
    choices:
      - {id: keep, text: Keep it secret, goto: hall, effects: [resolve += 1], cost: 15m, historical: true}
      - {id: read, text: "Read it aloud (resolve {resolve})", goto: hall, effects: [told = true]}
  - id: hall
    title: The session
    place: hall
    text: |
      {if told}The benches roar.{else}The benches murmur.{/if} Resolve is {resolve}.
    history: {note: The session sat on into the night., sources: [SP]}
    choices:
      - {id: sit, text: Sit it out, goto: hall, cost: 30m, historical: true}
      - {id: leave, text: Go home, goto: home}
  - id: gate
    title: The gate
    time: "17:00"
    text: |
      Sailors from Kronstadt at the gate of the Tauride.
    history: {note: The Kronstadt sailors arrived about 5 p.m., sources: [SP]}
    choices:
      - {id: face, text: Go out to them, goto: dawn, historical: true}
      - {id: hide, text: Hide, goto: home}
  - id: dawn
    title: Dawn
    text: The guns fall silent.
    ending: {title: The session holds, epilogue: Morning comes., history: The session held until dawn., sources: [SP], historical: true}
  - id: home
    title: Home
    text: You sleep.
    ending: {title: Asleep, epilogue: You missed it., history: Nobody of the committee went home.}
events:
  - {id: sailors, at: "17:00", goto: gate}
"""

FILES = {"story.yaml": MANIFEST, "16.yaml": SCENES}
