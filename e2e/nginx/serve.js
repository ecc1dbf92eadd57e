// Starts Debian's nginx in the foreground with deploy/nginx.conf, unchanged, on
// loopback: writes a main configuration (Debian's brotli_static module and MIME types, temporary
// paths, logs to stderr) and the two site files deploy/nginx.conf includes (listen
// on 127.0.0.1:NGINX_PORT, root E2E_DIST, /v1/ proxied to the dev server on
// NGINX_API_PORT) into a temporary folder. Started by e2e/nginx.config.js.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const port = Number(process.env.NGINX_PORT || 18493);
const apiPort = Number(process.env.NGINX_API_PORT || 18492);
const dist = path.resolve(__dirname, '..', process.env.E2E_DIST || '../dist');
const deploy = path.resolve(__dirname, '../../deploy/nginx.conf');

const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-refresh-nginx-'));
fs.chmodSync(prefix, 0o755);
fs.mkdirSync(path.join(prefix, 'connector-refresh'));
fs.writeFileSync(path.join(prefix, 'connector-refresh', 'site.conf'),
  `listen 127.0.0.1:${port};\nserver_name localhost;\nroot ${dist};\n`);
fs.writeFileSync(path.join(prefix, 'connector-refresh', 'api.conf'),
  `proxy_pass http://127.0.0.1:${apiPort};\n`);
const temp = (name) => path.join(prefix, name);
fs.writeFileSync(path.join(prefix, 'nginx.conf'), `
worker_processes 1;
pid ${temp('nginx.pid')};
error_log stderr warn;
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path ${temp('client_body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
    include ${deploy};
}
`);

const nginx = spawn(process.env.NGINX || 'nginx',
  ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
  { stdio: 'inherit' });
const stop = () => nginx.kill('SIGQUIT');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
nginx.on('exit', (code, signal) => {
  fs.rmSync(prefix, { recursive: true, force: true });
  process.exit(signal ? 0 : code ?? 1);
});
