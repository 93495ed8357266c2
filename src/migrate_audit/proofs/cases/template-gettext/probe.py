from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

with open("translations/fr/LC_MESSAGES/messages.po", "rb") as po, open("translations/fr/LC_MESSAGES/messages.mo", "wb") as mo:
    write_mo(mo, read_po(po))
