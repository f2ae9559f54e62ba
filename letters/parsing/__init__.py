"""Field extractors behind `letters.parser.parse_document`, one module per kind of field.

- `dates`: Chinese numerals and dates (2022年5月27日, 二〇二二年五月二十七日, 2022-05-27, 4月14日).
- `layout`: where the parts of a letter are (title line, salutation, signature) and the page's
  catalogue block (索引号, 发布机构, 发布日期 …).
- `references`: what the document is and which proposal it answers (doc type, kind, number,
  title, document number).
- `meeting`: the meeting line (政协十四届广州市委员会第一次会议 …) and the region.
- `people`: proposers and the contact person and phone.
- `agencies`: the writing agency and the assisting agencies.
- `communications`: contacts with the proposer and their dates and modes.
- `category`: the reply category A–D.
- `policy`: chapters and articles of a regulation or draft.

Every helper takes normalized text (see `letters.normalize`) and returns None or [] when the
document does not say, rather than a guess.
"""
