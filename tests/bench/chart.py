"""Hand-written SVG chart of the benchmark's medians: wall time, user+sys CPU and peak RSS per scale, palisade
next to Prowler, on logarithmic axes (the two differ by one to two orders of magnitude), each bar labelled
with its value. Standard library only."""
import math
from xml.sax.saxutils import escape

COLOURS = {"palisade": "#2b6cb0", "prowler": "#c05621"}
PANELS = [("wall_s", "wall time (s)", "{:.2f}"), ("cpu_s", "user+sys CPU (s)", "{:.2f}"),
          ("peak_rss_mib", "peak RSS (MiB)", "{:.0f}")]


def _decades(values):
    lo = math.floor(math.log10(max(min(values), 1e-3)))
    hi = math.ceil(math.log10(max(values) * 1.05))
    return lo, max(hi, lo + 1)


def write(path, summary, versions):
    rows = [s for s in summary if "palisade_wall_s" in s or "prowler_wall_s" in s]
    pw, ph, top, left, gap = 300, 260, 70, 60, 40
    width = left + len(PANELS) * (pw + gap) + 20
    height = top + ph + 90
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15" font-weight="bold">palisade {escape(versions["palisade"])} '
           f'({escape(versions.get("build", "?"))} build) vs '
           f'Prowler {escape(versions["prowler"])} against the same emulator (moto {escape(versions["moto"])})</text>',
           f'<text x="{left}" y="40" fill="#555">median per scale (copies of the reference architecture); '
           'logarithmic axes; lower is better</text>']
    for p, (key, title, label) in enumerate(PANELS):
        x0 = left + p * (pw + gap)
        values = [s[f"{t}_{key}"] for s in rows for t in COLOURS if s.get(f"{t}_{key}")]
        if not values:
            continue
        lo, hi = _decades(values)

        def y(v):
            v = max(v, 10 ** lo)
            return top + ph - (math.log10(v) - lo) / (hi - lo) * ph

        out.append(f'<text x="{x0 + pw / 2}" y="{top - 12}" text-anchor="middle" font-weight="bold">'
                   f'{escape(title)}</text>')
        for d in range(lo, hi + 1):
            yy = y(10 ** d)
            out.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
            tick = f"{10 ** d:g}"
            out.append(f'<text x="{x0 - 4}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>')
        out.append(f'<line x1="{x0}" x2="{x0}" y1="{top}" y2="{top + ph}" stroke="#888"/>')
        out.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#888"/>')
        group = pw / max(len(rows), 1)
        bar = min(36, group / 3)
        for g, s in enumerate(rows):
            cx = x0 + group * g + group / 2
            for b, tool in enumerate(COLOURS):
                v = s.get(f"{tool}_{key}")
                if not v:
                    continue
                bx = cx - bar + b * bar
                by = y(v)
                out.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar - 2:.1f}" height="{top + ph - by:.1f}" '
                           f'fill="{COLOURS[tool]}"><title>{tool} scale {s["scale"]}: '
                           f'{label.format(v)}</title></rect>')
                out.append(f'<text x="{bx + (bar - 2) / 2:.1f}" y="{by - 3:.1f}" text-anchor="middle" '
                           f'font-size="9">{label.format(v)}</text>')
            ratio = s.get(f"ratio_{key}")
            out.append(f'<text x="{cx:.1f}" y="{top + ph + 16}" text-anchor="middle">scale {s["scale"]}</text>')
            if ratio:
                out.append(f'<text x="{cx:.1f}" y="{top + ph + 30}" text-anchor="middle" fill="#555" '
                           f'font-size="9">{1 / ratio:.0f}x</text>')
    ly = height - 22
    for i, (tool, colour) in enumerate(COLOURS.items()):
        lx = left + i * 120
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly}">{"Prowler" if tool == "prowler" else tool}</text>')
    out.append(f'<text x="{left + 260}" y="{ly}" fill="#555">"Nx" under a group: Prowler / palisade</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
