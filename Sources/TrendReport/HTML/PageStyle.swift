/// The page's stylesheet and script, inline so the page needs no network and opens from a file.
enum PageStyle {
    static let css = """
    :root{color-scheme:light dark;--bg:#fff;--fg:#1d2329;--muted:#5b6670;--grid:#e3e7eb;--panel:#f6f8fa;--border:#d0d7de;
    --link:#0b5cad;--c0:#1f6fb2;--c1:#d1495b;--c2:#2e8b57;--c3:#c77c02;--c4:#7b4fb0;--c5:#17869e;--c6:#8c564b;--c7:#5f6b76;
    --info:#3b7dd8;--warning:#d97706;--critical:#c62828;--heat:#1f6fb2}
    @media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e9ec;--muted:#9aa5b1;--grid:#2a3037;--panel:#191d22;--border:#333a42;
    --link:#6cb6ff;--c0:#5aa9f0;--c1:#ff7b8a;--c2:#5fd08c;--c3:#f5b041;--c4:#b392f0;--c5:#4fd1e8;--c6:#d4a58e;--c7:#a3aeb9;
    --info:#6ea8ff;--warning:#f59e0b;--critical:#ff5f57;--heat:#5aa9f0}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
    main{max-width:1180px;margin:0 auto;padding:16px 20px 40px}
    h1{font-size:1.45rem;margin:.2em 0}h2{font-size:1.1rem;margin:1.6em 0 .4em}
    a{color:var(--link)}
    .meta,.note,.unit-note{color:var(--muted);font-size:.9rem}
    .cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
    .card{background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:8px 12px;min-width:150px}
    .card b{display:block;font-size:1.25rem}
    .empty{background:var(--panel);border:1px solid var(--border);border-left:4px solid var(--warning);padding:12px 16px;border-radius:6px}
    .chartbox{overflow-x:auto}
    svg.chart{width:100%;min-width:720px;height:auto;display:block}
    svg text{fill:var(--muted);font-size:12px}
    .grid{stroke:var(--grid);stroke-width:1}.axis{stroke:var(--muted);stroke-width:1}.zero{stroke:var(--muted);stroke-dasharray:3 3}
    .s0{--c:var(--c0)}.s1{--c:var(--c1)}.s2{--c:var(--c2)}.s3{--c:var(--c3)}.s4{--c:var(--c4)}.s5{--c:var(--c5)}.s6{--c:var(--c6)}.s7{--c:var(--c7)}
    .bars rect{fill:var(--c)}
    .line path{fill:none;stroke:var(--c);stroke-width:2}.line circle{fill:var(--c)}.line .band{fill:var(--c);opacity:.13;stroke:none}
    .heat{fill:var(--heat)}.h0{fill:var(--grid);opacity:.5}.h1{opacity:.18}.h2{opacity:.36}.h3{opacity:.55}.h4{opacity:.75}.h5{opacity:.95}
    .marker line{stroke:var(--c);stroke-width:1.5;stroke-dasharray:4 3}.marker path{fill:var(--c);stroke:var(--bg);stroke-width:1}
    .marker{cursor:pointer}.marker:hover path,.marker:focus path{stroke:var(--fg);stroke-width:2}
    .sev-info{--c:var(--info)}.sev-warning{--c:var(--warning)}.sev-critical{--c:var(--critical)}
    .legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:4px 0;font-size:.9rem}
    .legend .key{display:inline-block;width:12px;height:12px;border-radius:2px;background:var(--c);margin-right:6px;vertical-align:-1px}
    .legend .tri{display:inline-block;width:0;height:0;border:6px solid transparent;border-top:10px solid var(--c);margin-right:6px;vertical-align:-4px}
    .tablebox{overflow-x:auto;max-height:560px;overflow-y:auto;border:1px solid var(--border);border-radius:6px}
    table{border-collapse:collapse;width:100%;font-size:.9rem}
    th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--border);vertical-align:top}
    th{background:var(--panel);position:sticky;top:0}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    .sev{font-weight:600;color:var(--c)}
    tr:target{outline:2px solid var(--warning);outline-offset:-2px;background:var(--panel)}
    .detail p{margin:0 0 4px}.detail ul{margin:0;padding-left:18px}.detail .id{font-family:ui-monospace,monospace;color:var(--muted);font-size:.85em}
    #popover{position:absolute;z-index:10;max-width:min(460px,92vw);background:var(--bg);color:var(--fg);border:1px solid var(--border);
    border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.25);padding:10px 12px;font-size:.9rem}
    #popover .close{float:right;border:0;background:none;color:var(--muted);font-size:1.1rem;cursor:pointer}
    footer{margin-top:2em;color:var(--muted);font-size:.85rem}
    @media (max-width:640px){main{padding:10px}h1{font-size:1.2rem}.card{min-width:44%}}
    """

    /// Popover for alert markers (the marker's link to the table row works without it). Errors
    /// are recorded on the root element, where `scripts/check-page.sh` looks for them.
    static let script = """
    window.addEventListener('error',function(e){document.documentElement.setAttribute('data-js-error',String(e.message||e));});
    (function(){
    var pop=document.getElementById('popover');
    function hide(){pop.hidden=true;}
    document.addEventListener('click',function(ev){
    var t=ev.target,m=t&&t.closest?t.closest('a.marker'):null;
    if(!m){if(!pop.contains(t)||(t.classList&&t.classList.contains('close')))hide();return;}
    var row=document.getElementById('alert-'+m.getAttribute('data-alert-id'));
    if(!row)return;
    ev.preventDefault();
    while(pop.firstChild)pop.removeChild(pop.firstChild);
    var b=document.createElement('button');b.className='close';b.setAttribute('aria-label','close');b.textContent='\\u00d7';pop.appendChild(b);
    pop.appendChild(row.querySelector('.detail').cloneNode(true));
    var r=m.getBoundingClientRect();
    pop.hidden=false;
    var left=Math.min(window.scrollX+r.left,window.scrollX+document.documentElement.clientWidth-pop.offsetWidth-8);
    pop.style.left=Math.max(8,left)+'px';pop.style.top=(window.scrollY+r.bottom+6)+'px';
    });
    document.addEventListener('keydown',function(ev){if(ev.key==='Escape')hide();});
    // On a narrow screen the charts scroll sideways: start at the most recent days.
    var boxes=document.querySelectorAll('.chartbox');for(var i=0;i<boxes.length;i++)boxes[i].scrollLeft=boxes[i].scrollWidth;
    document.documentElement.setAttribute('data-page-ok','1');
    })();
    """
}

/// Colours of the series (`.s0` … `.s7` in the stylesheet).
enum Palette {
    static let size = 8
}
