import type { PortalSettings } from '../../shared/domain/portal';

/**
 * The portal's style sheet: one small file, phone first, served from the portal itself (the CSP
 * allows styles from 'self' only). The agency's colour comes from agency.css, made from the
 * agency configuration, whose schema admits nothing but `#` and six hex digits.
 */
export const PORTAL_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:var(--primary)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:1}
.skip:focus{left:.5rem}
header{background:var(--primary);color:#fff;padding:.75rem 1rem}
header a{color:#fff;text-decoration:none;font-weight:600;font-size:1.125rem;display:flex;align-items:center;gap:.5rem}
header img{max-height:2.5rem;width:auto}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.notice{border-left:.35rem solid #b00020;background:#fdecee;padding:.75rem 1rem;margin:0 0 1rem}
.promises{background:#eef3f8;padding:.75rem 1rem .75rem 2rem;margin:0 0 1rem}
.ok{border-left:.35rem solid #1b6e2f;background:#eaf5ec;padding:.75rem 1rem}
fieldset{border:1px solid #8a8a8a;border-radius:.25rem;margin:0 0 1rem;padding:.75rem 1rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.choice label{display:inline-flex;align-items:center;gap:.5rem;font-weight:400;margin:.25rem 1.5rem .25rem 0;min-height:44px}
.choice input{width:1.25rem;height:1.25rem}
.hint{color:#4a4a4a;font-size:.95rem;margin:0 0 .25rem}
input[type=text],input[type=search],input[type=email],input[type=tel],input[type=number],input[type=date],input[type=datetime-local],input[type=file],select,textarea{width:100%;font:inherit;padding:.6rem;border:2px solid #5a5a5a;border-radius:.25rem;min-height:44px;background:#fff;color:inherit}
[aria-invalid=true]{border-color:#b00020}
.pair{display:flex;flex-wrap:wrap;gap:.75rem}
.pair>div{flex:1 1 9rem;min-width:0}
.error{color:#b00020;font-weight:600;margin:.25rem 0}
.summary{border:3px solid #b00020;padding:.75rem 1rem;margin:0 0 1rem}
.summary h2{margin-top:0}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
button{font:inherit;font-weight:600;min-height:44px;padding:.6rem 1.1rem;border-radius:.25rem;border:2px solid var(--primary);background:var(--primary);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--primary)}
button.danger{background:#8b0000;border-color:#8b0000}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.camera{border-top:1px solid #ccc;padding:.25rem 0}
code{font-size:1rem;word-break:break-all}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.facts dt{font-weight:600}
.facts dd{margin:0}
.number{font-size:1.2rem;letter-spacing:.05em}
table{border-collapse:collapse;width:100%;margin:0 0 1rem;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #8a8a8a;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #5a5a5a}
tfoot th,tfoot td{border-top:2px solid #5a5a5a;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto;margin:0 0 1rem}
.table-wrap table{min-width:40rem;margin:0}
.table-wrap:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.inline{display:flex;gap:.75rem;align-items:stretch}
.inline select{flex:1}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (scripting:none){.pin-map,.address-finder{display:none}}
.pin-map{height:16rem;margin:.75rem 0;border:2px solid #5a5a5a;border-radius:.25rem;background:#f4f1ea}
.pin-map[hidden]{display:none}
.address-finder{margin:.75rem 0}
.address-finder[hidden],.finder-results[hidden]{display:none}
.finder-status{margin:.25rem 0;min-height:1.5em}
.finder-results{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.25rem}
.finder-results button{width:100%;text-align:left;font-weight:400}
.leaflet-container .leaflet-control-attribution{color:#1a1a1a}
footer{max-width:40rem;margin:2rem auto;padding:1rem;border-top:1px solid #ccc;color:#4a4a4a;font-size:.95rem}
`;

/** The agency's colour as a CSS variable (validated by PortalSettingsSchema). */
export function agencyCss(settings: PortalSettings): string {
  return `:root{--primary:${settings.primaryColor}}\n`;
}
