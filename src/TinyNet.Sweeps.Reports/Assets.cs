namespace TinyNet.Sweeps.Reports;

/// <summary>The page's inline style and script. System fonts only: a web font would be a network request.</summary>
internal static class Assets
{
    public const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { background: #233; color: #fff; padding: 16px 24px; }
        header h1 { margin: 0 0 6px 0; font-size: 22px; }
        header a { color: #bde; }
        header code { color: #fff; }
        main { padding: 8px 24px 40px 24px; }
        section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 16px 16px 16px; margin: 16px 0; overflow-x: auto; }
        h2 { font-size: 18px; margin: 8px 0; }
        h3 { font-size: 15px; margin: 12px 0 4px 0; }
        p.note { color: #555; font-size: 13px; margin: 4px 0 8px 0; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; white-space: nowrap; }
        th { background: #f0f0f0; }
        td.text, th.text { text-align: left; }
        table.sortable th { cursor: pointer; user-select: none; }
        table.sortable th[aria-sort=ascending]::after { content: " \25B2"; }
        table.sortable th[aria-sort=descending]::after { content: " \25BC"; }
        th.metric { background: #dde8f0; }
        td.heat { text-align: center; min-width: 42px; }
        tr.bad td { color: #999; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; margin: 6px 0; }
        .legend span.swatch { display: inline-block; width: 14px; height: 4px; margin-right: 4px; vertical-align: middle; }
        .grid { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
        figure { margin: 0; text-align: center; font-size: 12px; }
        svg text { font-family: system-ui, "DejaVu Sans", sans-serif; }

        """;

    /// <summary>Sortable tables (click a header; again to reverse), then data-ready="1" on body so tests can see the script ran.</summary>
    public const string Script = """
        (function () {
          function key(cell) {
            var s = cell.getAttribute('data-sort');
            if (s === null) s = cell.textContent.trim();
            var n = Number(s);
            return s !== '' && !isNaN(n) ? n : s;
          }
          function compare(x, y) {
            if (typeof x === 'number' && typeof y === 'number') return x === y ? 0 : (x < y ? -1 : 1);
            return String(x).localeCompare(String(y));
          }
          document.querySelectorAll('table.sortable').forEach(function (table) {
            var headers = table.querySelectorAll('thead th');
            headers.forEach(function (th, index) {
              th.addEventListener('click', function () {
                var ascending = th.getAttribute('aria-sort') !== 'ascending';
                headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var c = compare(key(a.cells[index]), key(b.cells[index]));
                  return ascending ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
          });
          document.body.setAttribute('data-ready', '1');
        })();

        """;
}
