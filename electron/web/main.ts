import { createServer } from 'node:http';

/**
 * The web console host. Until the console itself is served here, it answers with a page that
 * says whether the RTCC server is up, so that `npm start` always ends on something a person can
 * open.
 */
const host = process.env.WF_CONSOLE_HOST || '127.0.0.1';
const port = Number(process.env.WF_CONSOLE_PORT || 7410);
const serverUrl = process.env.WF_SERVER_URL || 'http://127.0.0.1:7400';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Watchfloor</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{background:#0d1117;color:#d6dde6;font:16px system-ui,sans-serif;margin:3rem}
h1{font-weight:600}.ok{color:#4cc38a}.down{color:#f07178}code{color:#9ecbff}</style></head>
<body><h1>Watchfloor</h1><p id="state">Checking the RTCC server…</p>
<script>
async function check(){
  const el=document.getElementById('state');
  try{const r=await fetch('/status');const h=await r.json();
    if(!r.ok) throw new Error(h.message||r.status);
    el.className='ok';
    el.textContent='The RTCC server is up ('+h.store+' store, last event '+h.lastEventId+').';
  }catch(e){el.className='down';el.textContent='The RTCC server is not answering: '+e.message;}
}
check();setInterval(check,5000);
</script></body></html>`;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/status') {
    fetch(`${serverUrl}/v1/health`)
      .then(async (r) => {
        res.writeHead(r.ok ? 200 : 502, { 'content-type': 'application/json' });
        res.end(await r.text());
      })
      .catch(() => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'server unreachable' }));
      });
    return;
  }
  if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
});

server.listen(port, host);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
