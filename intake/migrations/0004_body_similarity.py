"""Similar bodies at review (issue #12 item 3): the SQL function `intake_body_digest` (a body's most
repeated topic words), a GiST index on the proposals' bodies through it, and `intake_similarity`,
the combined score of title and body the benchmark's exact search computes over every row.
PostgreSQL only: SQLite compares proposals in Python (intake/similarity.py mirrors all three)."""

from django.db import migrations

# Frozen here; intake/similarity.py mirrors them in Python (tests check they agree). The grams are
# cut with two non-overlapping passes of regexp_matches (odd and even starts): substr(text, i, 2)
# walks a multibyte text from its start each time and made the function six times slower. About
# 0.6 ms a body: the index search reads each candidate's digest again (PostgreSQL computes the
# ORDER BY expression of the rows it returns), so the candidates are few.
BODY_DIGEST = r"""
CREATE OR REPLACE FUNCTION intake_body_digest(body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
  cleaned text := lower(left(body, 600));
  word text;
  digest text;
BEGIN
  FOREACH word IN ARRAY '{特提出如下建议,现提出如下建议,提出以下建议,提出如下建议,具体建议,几点建议,另一方面,建议如下,有关部门,相关部门,职能部门,一方面,近年来,进一步,一些,不断,不足,严重,个别,为此,主要,仍然,以及,优化,但是,体系,促进,健全,全区,全市,全省,其中,其次,切实,力度,加大,加强,加快,发展,取得,可以,各类,各项,同时,因为,因此,城市,如何,存在,完善,实施,尚未,工作,已经,应当,应该,建立,建议,建设,开展,当前,必须,情况,意义,意见,成效,成绩,我区,我县,我市,我省,所以,推动,推进,措施,提升,提案,提高,政府,方面,日益,最后,有关,有待,有效,服务,机制,此外,比较,没有,然而,现状,由于,目前,相关,相应,社会,积极,突出,第一,第三,第二,第五,第四,管理,经济,群众,能够,落实,虽然,要求,议案,较为,近年,进展,进行,通过,部分,部门,重要,问题,需要,首先}'::text[] LOOP
    cleaned := replace(cleaned, word, ' ');
  END LOOP;
  cleaned := regexp_replace(regexp_replace(cleaned, '[^\u4e00-\u9fffa-z]+', ' ', 'g'),
    '[的了和与及等是在对为将把被也并而或之其这该各于以由从向到但就都很还]', ' ', 'g');
  SELECT coalesce(string_agg(gram, ' ' ORDER BY said DESC, first_at), '') INTO digest FROM (
    SELECT gram, count(*) AS said, min(at) AS first_at FROM (
      SELECT odd.m[1] AS gram, 2 * odd.k - 1 AS at FROM regexp_matches(cleaned, '(..)', 'g') WITH ORDINALITY AS odd(m, k)
      UNION ALL
      SELECT even.m[1], 2 * even.k FROM regexp_matches(substr(cleaned, 2), '(..)', 'g') WITH ORDINALITY AS even(m, k)
    ) AS grams
    WHERE strpos(gram, ' ') = 0
    GROUP BY gram HAVING count(*) >= 2
    ORDER BY said DESC, first_at LIMIT 16
  ) AS top;
  RETURN digest;
END
$$;
"""

# The score shown to the clerk, given the wanted proposal's title grams and body digest.
SIMILARITY = r"""
CREATE OR REPLACE FUNCTION intake_similarity(title text, body text, wanted_title text, wanted_body text)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
DECLARE
  digest text := intake_body_digest(coalesce(body, ''));
  title_score double precision := similarity(intake_title_grams(title), wanted_title);
BEGIN
  IF digest = '' OR coalesce(wanted_body, '') = '' THEN
    RETURN title_score;
  END IF;
  RETURN 0.4 * title_score + 0.6 * similarity(digest, wanted_body);
END
$$;
"""

# A wider signature than the default 12 bytes: a digest has up to 16 words, about 40 trigrams.
INDEX = """
CREATE INDEX IF NOT EXISTS intake_proposal_body_digest_gist ON proposals_proposal
  USING gist (intake_body_digest(body) gist_trgm_ops(siglen=64));
"""
REVERSE = """
DROP INDEX IF EXISTS intake_proposal_body_digest_gist;
DROP FUNCTION IF EXISTS intake_similarity(text, text, text, text);
DROP FUNCTION IF EXISTS intake_body_digest(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BODY_DIGEST)
        schema_editor.execute(SIMILARITY)
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_title_similarity")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
