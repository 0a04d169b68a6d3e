/**
 * The one stylesheet, inline in every page: dark text on light backgrounds (contrast of at least
 * 4.5:1 everywhere), a visible focus ring, and a single column on a phone. Status colours always
 * come with their words.
 */
export const styles = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fafaf7}
a{color:#0b4f9c}
a:hover{color:#062f5f}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header{background:#fff;border-bottom:1px solid #ccc;padding:8px 16px;display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center}
header .brand{font-weight:700;margin-right:8px}
header nav a{padding:4px 6px;white-space:nowrap}
header nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
main{padding:16px;max-width:1200px;margin:0 auto}
h1{font-size:1.5rem;margin:.2em 0 .6em}
h2{font-size:1.2rem}
.bar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 12px}
.btn,button{font:inherit;padding:6px 12px;border:1px solid #555;border-radius:4px;background:#fff;color:#1a1a1a;cursor:pointer;text-decoration:none;display:inline-block}
.btn.primary,button.primary{background:#0b4f9c;border-color:#0b4f9c;color:#fff}
button[disabled]{color:#595959;border-color:#999;background:#eee;cursor:not-allowed}
label{font-weight:600;display:block;margin:8px 0 2px}
input,select,textarea{font:inherit;padding:6px;border:1px solid #666;border-radius:4px;background:#fff;color:#1a1a1a;max-width:100%}
textarea{width:100%;min-height:8em}
fieldset{border:1px solid #bbb;border-radius:4px;margin:12px 0}
.muted{color:#505050}
.err{color:#a00000;font-weight:600}
.notice{background:#fff4d6;border:1px solid #b38600;padding:8px 12px;border-radius:4px}
.problem{background:#fde8e8;border:1px solid #a00000;padding:8px 12px;border-radius:4px}
.st{display:inline-block;padding:0 6px;border-radius:3px;font-size:.85em;border:1px solid}
.st-ok{background:#e3f4e3;color:#0f4d0f;border-color:#2e7d32}
.st-wait{background:#e6eefa;color:#0b3a75;border-color:#3a6bb0}
.st-busy{background:#fff4d6;color:#5c4200;border-color:#b38600}
.st-bad{background:#fde8e8;color:#7a0000;border-color:#c62828}
.st-off{background:#eee;color:#3d3d3d;border-color:#888}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
.cal td{height:7em;width:14.28%}
.cal td.out{background:#f0f0ec}
.cal .date{font-weight:700}
.cal ul,.week ul{list-style:none;margin:0;padding:0}
.cal li,.week li{margin:2px 0;font-size:.9em}
.week{display:grid;grid-template-columns:repeat(7,1fr);gap:8px}
.week section{border:1px solid #ccc;background:#fff;padding:6px;min-height:8em}
.week h2{font-size:1rem;margin:0 0 4px}
.cards>li{border:1px solid #ccc;background:#fff;padding:8px;margin:6px 0;list-style:none}
.cards h3{margin:0 0 4px;font-size:1.05rem}
.cards{padding:0}
pre.text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:8px;margin:4px 0}
.counts li{margin:2px 0}
@media (max-width:700px){
 .week{grid-template-columns:1fr}
 .cal thead{display:none}
 .cal,.cal tbody,.cal tr,.cal td,.cal caption{display:block;width:100%;height:auto}
 .cal td.out{display:none}
 header{padding:8px}
 main{padding:8px}
}
`;
