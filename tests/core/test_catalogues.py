"""The translation template is up to date and every language is complete."""
import pytest

from config import Config
from inspraak.core.catalogues import catalogue_gaps, extracted_ids, template_ids


def test_messages_pot_is_not_stale():
    in_code, in_template = extracted_ids(), template_ids()
    assert not in_code - in_template, f"run `make translations`: new strings {sorted(in_code - in_template)[:10]}"
    assert not in_template - in_code, f"run `make translations`: removed strings {sorted(in_template - in_code)[:10]}"


@pytest.mark.parametrize("language", list(Config.LANGUAGES))
def test_catalogue_is_complete(language):
    gaps = catalogue_gaps(language)
    assert gaps == {"missing": [], "untranslated": [], "fuzzy": []}
