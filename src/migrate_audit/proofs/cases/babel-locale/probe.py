from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

for po in Path("translations").glob("*/LC_MESSAGES/*.po"):  # pybabel compile
    with po.open("rb") as source, po.with_suffix(".mo").open("wb") as target:
        write_mo(target, read_po(source))
