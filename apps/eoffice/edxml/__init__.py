"""edXML: documents and statuses exchanged with other agencies (QCVN 102:2016/BTTTT, amended 2022).

- :mod:`.package` builds and parses packages (pure, no database), refusing hostile ones;
- :mod:`.models` records every package sent or received ("edXML Message");
- :mod:`.exchange` is what the site does: queue an issued document for other agencies, import
  a received one for the clerk's "Vào sổ", send and apply status messages, recalls, updates,
  replacements;
- :mod:`.transport` moves packages through folders (``sites/<site>/edxml/``) or HTTP
  (``/api/method/eoffice.edxml.receive`` with a token);
- :mod:`.jobs` sends what waits and reads the inbox folder.

See docs/edxml.md.
"""
