package cli_test

// The deployment recipes (docs/deploy.md and the files in docs/deploy/, the Compose files)
// are checked here without nginx, Caddy, Tor, systemd or Docker: every CAIRN_* name they
// use exists, every cairn command and flag they show exists, the settings they give make a
// server that starts, and the files agree with each other (the address the proxies and Tor
// forward to is the one Cairn listens on, the proxy Cairn trusts is the one in front of it,
// the supervisor waits longer than Cairn's shutdown). How each recipe was tried with the
// real tools is in docs/deploy.md.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"io"
	"maps"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cairn-lms/cairn/app/config"
)

const repoRoot = "../.."

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// settingNames are the environment variables Cairn reads: CAIRN_X for every option, and
// CAIRN_X_FILE for its value in a file.
func settingNames(t *testing.T) map[string]bool {
	t.Helper()
	var dump bytes.Buffer
	if err := config.Defaults().Dump(&dump); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(dump.String()), "\n") {
		name, _, _ := strings.Cut(line, "=")
		names[name], names[name+"_FILE"] = true, true
	}
	if !names["CAIRN_TRUSTED_PROXIES"] || !names["CAIRN_BASE_URL_FILE"] {
		t.Fatalf("the configuration dump does not list the settings: %v", names)
	}
	return names
}

func TestDeployFilesNameOnlyRealSettings(t *testing.T) {
	names := settingNames(t)
	files := []string{"README.md", "Dockerfile", "docker-compose.yml", "docs/deploy.md"}
	deployFiles, err := filepath.Glob(filepath.Join(repoRoot, "docs/deploy/*"))
	if err != nil || len(deployFiles) < 6 {
		t.Fatalf("docs/deploy holds %d files (%v)", len(deployFiles), err)
	}
	for _, f := range deployFiles {
		files = append(files, strings.TrimPrefix(f, repoRoot+"/"))
	}
	re := regexp.MustCompile(`CAIRN_[A-Z0-9_]+`)
	for _, f := range files {
		for n, line := range strings.Split(readRepoFile(t, f), "\n") {
			for _, name := range re.FindAllString(line, -1) {
				if !names[name] && !strings.HasPrefix(name, "CAIRN_TEST_") {
					t.Errorf("%s:%d: %s is not a Cairn setting", f, n+1, name)
				}
			}
		}
	}
}

// unit is a systemd unit file: section → key → values in order.
type unit map[string]map[string][]string

func parseUnit(t *testing.T, text string) unit {
	t.Helper()
	u := unit{}
	section := ""
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			key, value, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("cairn.service:%d: not a key=value line in a section: %q", n+1, line)
			}
			u[section][key] = append(u[section][key], value)
		}
	}
	return u
}

func (u unit) one(t *testing.T, section, key string) string {
	t.Helper()
	v := u[section][key]
	if len(v) != 1 {
		t.Fatalf("cairn.service: want one %s= in [%s], got %q", key, section, v)
	}
	return v[0]
}

// envFile reads docs/deploy/cairn.env: the settings it sets, and those it offers commented
// out ("#CAIRN_X=value"). Every line must read the same in systemd's EnvironmentFile= and in
// sh, which the docs' cairnctl sources: NAME=value with no quotes, spaces or expansions.
func envFile(t *testing.T) (set, optional map[string]string) {
	t.Helper()
	set, optional = map[string]string{}, map[string]string{}
	plain := regexp.MustCompile(`^([A-Z][A-Z0-9_]*)=([^\s'"\\$` + "`" + `]*)$`)
	for n, line := range strings.Split(readRepoFile(t, "docs/deploy/cairn.env"), "\n") {
		if strings.HasPrefix(line, "#") {
			if m := plain.FindStringSubmatch(strings.TrimPrefix(line, "#")); m != nil {
				optional[m[1]] = m[2]
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := plain.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("cairn.env:%d: %q is not NAME=value without quotes or spaces", n+1, line)
		}
		set[m[1]] = m[2]
	}
	return set, optional
}

// secretFile writes the content a secret file of this name holds in production.
func secretFile(t *testing.T, dir, name string) string {
	t.Helper()
	var content string
	switch name {
	case "secret_key":
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		content = base64.StdEncoding.EncodeToString(key) + "\n"
	case "database_url":
		content = "postgres://cairn:pw@db:5432/cairn?sslmode=disable"
	default:
		t.Fatalf("no example content for a secret named %q", name)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func loadServe(t *testing.T, where string, vars map[string]string, args []string) config.Config {
	t.Helper()
	cfg, _, err := config.Load("cairn serve", args, func(k string) string { return vars[k] }, io.Discard, nil)
	if err != nil {
		t.Fatalf("%s: cairn serve would refuse these settings: %v", where, err)
	}
	return cfg
}

func TestDeploySystemdUnitStartsAValidServer(t *testing.T) {
	u := parseUnit(t, readRepoFile(t, "docs/deploy/cairn.service"))
	exec := strings.Fields(u.one(t, "Service", "ExecStart"))
	if len(exec) < 2 || exec[0] != "/usr/local/bin/cairn" || exec[1] != "serve" {
		t.Fatalf("ExecStart = %q, want /usr/local/bin/cairn serve", exec)
	}
	if got := u.one(t, "Service", "EnvironmentFile"); got != "/etc/cairn/cairn.env" {
		t.Fatalf("EnvironmentFile = %q; docs/deploy.md installs /etc/cairn/cairn.env", got)
	}
	if u.one(t, "Service", "User") != "cairn" || u.one(t, "Service", "Type") != "simple" {
		t.Fatal("the unit must run as the cairn user, Type=simple (Cairn does not notify systemd)")
	}
	set, optional := envFile(t)
	credentials := t.TempDir() // what systemd puts at %d
	for _, lc := range u["Service"]["LoadCredential"] {
		name, _, ok := strings.Cut(lc, ":")
		if !ok {
			t.Fatalf("LoadCredential=%s: want NAME:PATH", lc)
		}
		secretFile(t, credentials, name)
	}
	other := t.TempDir() // files the settings file points at (database_url)
	for variant, extra := range map[string]map[string]string{"as shipped": nil, "with its optional settings": optional} {
		vars := map[string]string{}
		for _, m := range []map[string]string{set, extra} {
			for k, v := range m {
				if strings.HasSuffix(k, "_FILE") {
					v = secretFile(t, other, filepath.Base(v))
				}
				vars[k] = v
			}
		}
		for _, e := range u["Service"]["Environment"] {
			k, v, _ := strings.Cut(e, "=")
			vars[k] = strings.ReplaceAll(v, "%d", credentials)
		}
		where := "cairn.service + cairn.env " + variant
		cfg := loadServe(t, where, vars, exec[2:])
		if key, err := cfg.SecretKeyBytes(); err != nil || len(key) != 32 {
			t.Errorf("%s: the secret key does not reach the server through LoadCredential/%%d: %v", where, err)
		}
		if host, _, err := net.SplitHostPort(cfg.Addr); err != nil || !netip.MustParseAddr(host).IsLoopback() {
			t.Errorf("%s: CAIRN_ADDR=%s, want a loopback address behind the proxy", where, cfg.Addr)
		}
		state := "/var/lib/" + u.one(t, "Service", "StateDirectory")
		if cfg.DataDir != state || u.one(t, "Service", "WorkingDirectory") != state || !strings.HasPrefix(cfg.CoursesDir, state+"/") {
			t.Errorf("%s: data dir %s, courses %s, working directory %s: want them in StateDirectory %s", where, cfg.DataDir, cfg.CoursesDir, u.one(t, "Service", "WorkingDirectory"), state)
		}
		if !cfg.SecureCookies() || len(cfg.TrustedProxies) == 0 {
			t.Errorf("%s: behind a TLS proxy, want an https base URL and trusted proxies; got %q, %q", where, cfg.BaseURL, cfg.TrustedProxies)
		}
		stop, err := time.ParseDuration(u.one(t, "Service", "TimeoutStopSec"))
		if err != nil || stop <= cfg.DrainDelay+cfg.ShutdownTimeout {
			t.Errorf("%s: TimeoutStopSec=%v must exceed drain delay %v + shutdown timeout %v", where, stop, cfg.DrainDelay, cfg.ShutdownTimeout)
		}
	}
	if optional["CAIRN_DATABASE_URL_FILE"] == "" || optional["CAIRN_DRAIN_DELAY"] == "" {
		t.Fatalf("cairn.env should offer PostgreSQL and a drain delay, commented out: %v", optional)
	}
}

// nginxDirective is one directive of an nginx configuration, with its block if it has one.
type nginxDirective struct {
	name  string
	args  []string
	block []nginxDirective
}

func parseNginx(t *testing.T, text string) []nginxDirective {
	t.Helper()
	var tokens []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		for _, f := range strings.Fields(strings.NewReplacer(";", " ; ", "{", " { ", "}", " } ").Replace(line)) {
			tokens = append(tokens, strings.Trim(f, `"`))
		}
	}
	var parse func() []nginxDirective
	parse = func() []nginxDirective {
		var out []nginxDirective
		var cur []string
		for len(tokens) > 0 {
			tok := tokens[0]
			tokens = tokens[1:]
			switch tok {
			case ";":
				out = append(out, nginxDirective{name: cur[0], args: cur[1:]})
				cur = nil
			case "{":
				d := nginxDirective{name: cur[0], args: cur[1:]}
				d.block = parse()
				out = append(out, d)
				cur = nil
			case "}":
				return out
			default:
				cur = append(cur, tok)
			}
		}
		if len(cur) > 0 {
			t.Fatalf("nginx.conf: unterminated directive %q", cur)
		}
		return out
	}
	return parse()
}

func nginxFind(ds []nginxDirective, name string) []nginxDirective {
	var out []nginxDirective
	for _, d := range ds {
		if d.name == name {
			out = append(out, d)
		}
	}
	return out
}

func nginxHeader(loc nginxDirective, header string) string {
	for _, d := range nginxFind(loc.block, "proxy_set_header") {
		if len(d.args) == 2 && strings.EqualFold(d.args[0], header) {
			return d.args[1]
		}
	}
	return ""
}

func nginxSize(t *testing.T, v string) int {
	t.Helper()
	mult := map[byte]int{'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30}[v[len(v)-1]|0x20]
	if mult == 0 {
		mult = 1
	} else {
		v = v[:len(v)-1]
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("size %q: %v", v, err)
	}
	return n * mult
}

func TestDeployProxiesAndTorForwardToCairnAndPassTheClient(t *testing.T) {
	set, optional := envFile(t)
	addr := set["CAIRN_ADDR"]

	// nginx: the upstream is Cairn; every location passes Host and appends the client to
	// X-Forwarded-For; the websocket path gets the upgrade headers.
	conf := parseNginx(t, readRepoFile(t, "docs/deploy/nginx.conf"))
	ups := nginxFind(conf, "upstream")
	if len(ups) != 1 || len(ups[0].args) != 1 {
		t.Fatalf("want one named upstream, got %v", ups)
	}
	if servers := nginxFind(ups[0].block, "server"); len(servers) != 1 || servers[0].args[0] != addr {
		t.Errorf("upstream servers %v, want %s (CAIRN_ADDR in cairn.env)", servers, addr)
	}
	upstream := "http://" + ups[0].args[0]
	var wsLocations, proxied int
	for _, srv := range nginxFind(conf, "server") {
		if off := nginxFind(srv.block, "access_log"); len(off) != 1 || off[0].args[0] != "off" {
			t.Errorf("server %v: want access_log off (no client addresses on disk)", nginxFind(srv.block, "server_name"))
		}
		for _, loc := range nginxFind(srv.block, "location") {
			pass := nginxFind(loc.block, "proxy_pass")
			if len(pass) == 0 {
				continue
			}
			proxied++
			if pass[0].args[0] != upstream {
				t.Errorf("location %v: proxy_pass %v, want %s", loc.args, pass[0].args, upstream)
			}
			if xff := nginxHeader(loc, "X-Forwarded-For"); xff != "$proxy_add_x_forwarded_for" && xff != "$remote_addr" {
				t.Errorf("location %v: X-Forwarded-For %q must carry the address nginx sees", loc.args, xff)
			}
			if nginxHeader(loc, "Host") != "$host" {
				t.Errorf("location %v: the Host header must be passed", loc.args)
			}
			if v := nginxFind(loc.block, "proxy_http_version"); len(v) != 1 || v[0].args[0] != "1.1" {
				t.Errorf("location %v: want proxy_http_version 1.1", loc.args)
			}
			if len(loc.args) == 2 && loc.args[0] == "~" {
				re := regexp.MustCompile(loc.args[1])
				if !re.MatchString("/live/42/ws") || re.MatchString("/live/42/plain") || re.MatchString("/live/42/ws/x") {
					t.Errorf("location %v should match exactly the live websocket path", loc.args)
				}
				if nginxHeader(loc, "Upgrade") != "$http_upgrade" || !strings.EqualFold(nginxHeader(loc, "Connection"), "upgrade") {
					t.Errorf("location %v: the websocket upgrade headers are missing", loc.args)
				}
				wsLocations++
			}
		}
		for _, size := range nginxFind(srv.block, "client_max_body_size") {
			if got := nginxSize(t, size.args[0]); got <= config.Defaults().BodyLimitBytes {
				t.Errorf("client_max_body_size %s is not above CAIRN_BODY_LIMIT's default", size.args[0])
			}
		}
	}
	if wsLocations != 1 || proxied != 2 {
		t.Errorf("want two proxied locations, one for /live/{id}/ws; got %d and %d", proxied, wsLocations)
	}

	// Caddy: the default upstream is Cairn, and nothing asks for an access log.
	caddy := readRepoFile(t, "docs/deploy/Caddyfile")
	if m := regexp.MustCompile(`(?m)^\s*reverse_proxy \{\$UPSTREAM:([^}]+)\}\s*$`).FindStringSubmatch(caddy); m == nil || m[1] != addr {
		t.Errorf("Caddyfile: reverse_proxy should default to %s, got %v", addr, m)
	}
	instances := readRepoFile(t, "docs/deploy/Caddyfile.instances")
	for _, f := range []struct{ name, text string }{{"Caddyfile", caddy}, {"Caddyfile.instances", instances}} {
		if regexp.MustCompile(`(?m)^\s*log\b`).MatchString(f.text) {
			t.Errorf("%s asks for an access log", f.name)
		}
	}
	// Several instances: the first is the one cairn.env describes, the probe is /readyz, and
	// the drain delay cairn.env offers outlasts one probe, so a stopping instance is left
	// out before it closes its listener.
	if m := regexp.MustCompile(`(?m)^\s*reverse_proxy (\S+) \S+`).FindStringSubmatch(instances); m == nil || m[1] != addr {
		t.Errorf("Caddyfile.instances: first upstream %v, want %s", m, addr)
	}
	if !regexp.MustCompile(`(?m)^\s*health_uri /readyz\s*$`).MatchString(instances) {
		t.Error("Caddyfile.instances: want health_uri /readyz")
	}
	probe := time.Duration(0)
	for _, key := range []string{"health_interval", "health_timeout"} {
		m := regexp.MustCompile(`(?m)^\s*` + key + ` (\S+)\s*$`).FindStringSubmatch(instances)
		if m == nil {
			t.Fatalf("Caddyfile.instances: no %s", key)
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatal(err)
		}
		probe += d
	}
	if drain, err := time.ParseDuration(optional["CAIRN_DRAIN_DELAY"]); err != nil || drain <= probe {
		t.Errorf("CAIRN_DRAIN_DELAY %q offered in cairn.env should exceed health_interval + health_timeout (%v)", optional["CAIRN_DRAIN_DELAY"], probe)
	}
	if !strings.Contains(instances, "CAIRN_DRAIN_DELAY="+optional["CAIRN_DRAIN_DELAY"]) {
		t.Errorf("Caddyfile.instances should name the drain delay cairn.env offers (%s)", optional["CAIRN_DRAIN_DELAY"])
	}

	// Tor: the onion service forwards to Cairn.
	var ports []string
	for _, line := range strings.Split(readRepoFile(t, "docs/deploy/torrc"), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "HiddenServicePort" {
			ports = append(ports, f[1]+" "+f[2])
		}
	}
	if len(ports) != 1 || ports[0] != "80 "+addr {
		t.Errorf("torrc: HiddenServicePort %v, want 80 %s", ports, addr)
	}
}

type composeService struct {
	Build           string            `yaml:"build"`
	Image           string            `yaml:"image"`
	Environment     map[string]string `yaml:"environment"`
	Secrets         []string          `yaml:"secrets"`
	Ports           []string          `yaml:"ports"`
	Volumes         []string          `yaml:"volumes"`
	StopGracePeriod string            `yaml:"stop_grace_period"`
	Networks        yaml.Node         `yaml:"networks"`
}

// networks lists the service's networks with their fixed address, if any (the list and
// the map forms of the key).
func (s composeService) networks(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	switch s.Networks.Kind {
	case 0:
	case yaml.SequenceNode:
		var names []string
		if err := s.Networks.Decode(&names); err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			out[n] = ""
		}
	case yaml.MappingNode:
		var m map[string]*struct {
			IPv4 string `yaml:"ipv4_address"`
		}
		if err := s.Networks.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for n, v := range m {
			if v != nil {
				out[n] = v.IPv4
			} else {
				out[n] = ""
			}
		}
	}
	return out
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Networks map[string]*struct {
		Internal bool `yaml:"internal"`
		IPAM     struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
	Secrets map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
}

// dockerfileEnv reads the ENV instructions of the Dockerfile (KEY=value pairs, lines
// continued with a backslash).
func dockerfileEnv(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{}
	text := strings.ReplaceAll(readRepoFile(t, "Dockerfile"), "\\\n", " ")
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] != "ENV" {
			continue
		}
		for _, kv := range f[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("Dockerfile: ENV %q is not KEY=value", kv)
			}
			env[k] = v
		}
	}
	if env["CAIRN_ADDR"] == "" {
		t.Fatal("Dockerfile: no ENV CAIRN_ADDR")
	}
	return env
}

func TestDeployComposeFilesStartAValidServer(t *testing.T) {
	image := dockerfileEnv(t)
	for _, name := range []string{"docker-compose.yml", "docs/deploy/compose.yml"} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			var f composeFile
			if err := yaml.Unmarshal([]byte(readRepoFile(t, name)), &f); err != nil {
				t.Fatal(err)
			}
			svc, ok := f.Services["cairn"]
			if !ok || svc.Build == "" {
				t.Fatalf("%s: no cairn service built from the repository", name)
			}
			if ctx := filepath.Join(repoRoot, filepath.Dir(name), svc.Build, "Dockerfile"); !fileExists(ctx) {
				t.Errorf("%s: build context %q holds no Dockerfile", name, svc.Build)
			}
			vars := maps.Clone(image)
			secrets := t.TempDir()
			for k, v := range svc.Environment {
				if strings.HasSuffix(k, "_FILE") {
					secret, ok := strings.CutPrefix(v, "/run/secrets/")
					if !ok || !slices.Contains(svc.Secrets, secret) {
						t.Errorf("%s: %s=%s is not one of the service's secrets %v", name, k, v, svc.Secrets)
					}
					if _, ok := f.Secrets[secret]; !ok {
						t.Errorf("%s: secret %q is not declared", name, secret)
					}
					v = secretFile(t, secrets, secret)
				}
				vars[k] = v
			}
			cfg := loadServe(t, name, vars, nil)
			if !cfg.UsesPostgres() || cfg.SecretKey == "" {
				t.Errorf("%s: want PostgreSQL and a secret key", name)
			}
			grace, err := time.ParseDuration(svc.StopGracePeriod)
			if err != nil || grace <= cfg.DrainDelay+cfg.ShutdownTimeout {
				t.Errorf("%s: stop_grace_period %q must exceed drain delay %v + shutdown timeout %v", name, svc.StopGracePeriod, cfg.DrainDelay, cfg.ShutdownTimeout)
			}
			if name != "docs/deploy/compose.yml" {
				return
			}
			// Only Caddy is reachable from outside; Cairn trusts exactly Caddy's address,
			// which is fixed inside the network they share, and serves the name Caddy
			// serves.
			caddy, ok := f.Services["caddy"]
			if !ok {
				t.Fatal("no caddy service")
			}
			if len(svc.Ports) != 0 {
				t.Errorf("cairn publishes ports %v; only caddy should", svc.Ports)
			}
			for n := range svc.networks(t) {
				if nw := f.Networks[n]; nw == nil || !nw.Internal {
					t.Errorf("cairn is on network %q, which is not internal", n)
				}
			}
			_, port, _ := net.SplitHostPort(cfg.Addr)
			if caddy.Environment["UPSTREAM"] != "cairn:"+port {
				t.Errorf("caddy's UPSTREAM %q, want cairn:%s", caddy.Environment["UPSTREAM"], port)
			}
			if want := "https://" + caddy.Environment["SITE_ADDRESS"]; cfg.BaseURL != want {
				t.Errorf("CAIRN_BASE_URL %q, want %q (caddy's SITE_ADDRESS)", cfg.BaseURL, want)
			}
			var shared []string
			for n, ip := range caddy.networks(t) {
				if _, ok := svc.networks(t)[n]; !ok {
					continue
				}
				shared = append(shared, n)
				subnet := netip.MustParsePrefix(f.Networks[n].IPAM.Config[0].Subnet)
				if ip == "" || !subnet.Contains(netip.MustParseAddr(ip)) {
					t.Errorf("caddy's address %q on %q is not fixed inside %s", ip, n, subnet)
				}
				if len(cfg.TrustedProxies) != 1 || cfg.TrustedProxies[0] != ip {
					t.Errorf("CAIRN_TRUSTED_PROXIES %v, want caddy's address %s", cfg.TrustedProxies, ip)
				}
			}
			if len(shared) != 1 {
				t.Errorf("cairn and caddy share networks %v, want one", shared)
			}
			if !slices.Contains(caddy.Volumes, "./Caddyfile:/etc/caddy/Caddyfile:ro") || !fileExists(filepath.Join(repoRoot, "docs/deploy/Caddyfile")) {
				t.Errorf("caddy should mount docs/deploy/Caddyfile, mounts %v", caddy.Volumes)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// cairnCommands reads the commands and their actions from cairn's own usage text.
func cairnCommands(t *testing.T) map[string][]string {
	t.Helper()
	code, out, _ := run(t, nil, "", "help")
	if code != 0 {
		t.Fatal("cairn help failed")
	}
	cmds := map[string][]string{}
	re := regexp.MustCompile(`(?m)^\s+cairn ([a-z-]+)(?: (\[?[a-z|-]+\]?))?`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if _, ok := cmds[m[1]]; !ok {
			cmds[m[1]] = nil
		}
		for _, a := range strings.Split(strings.Trim(m[2], "[]"), "|") {
			if a != "" {
				cmds[m[1]] = append(cmds[m[1]], a)
			}
		}
	}
	if !slices.Contains(cmds["migrate"], "down") || !slices.Contains(cmds["users"], "create") || cmds["backup"] != nil {
		t.Fatalf("could not read the commands from the usage text: %v", cmds)
	}
	return cmds
}

// deployCommandLines are the shell lines of docs/deploy.md (code blocks and inline code) and
// of the Compose files' headers.
func deployCommandLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	inBlock := false
	for _, line := range strings.Split(readRepoFile(t, "docs/deploy.md"), "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			lines = append(lines, line)
			continue
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(line, -1) {
			lines = append(lines, m[1])
		}
	}
	for _, f := range []string{"docker-compose.yml", "docs/deploy/compose.yml"} {
		for _, line := range strings.Split(readRepoFile(t, f), "\n") {
			if rest, ok := strings.CutPrefix(line, "#   "); ok {
				lines = append(lines, rest)
			}
		}
	}
	return lines
}

func TestDeployDocCommandsUseRealCommandsAndFlags(t *testing.T) {
	cmds := cairnCommands(t)
	word := regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	separators := map[string]bool{"|": true, "||": true, "&&": true, ";": true, ">": true, "<": true, "#": true}
	checked := 0
	for _, line := range deployCommandLines(t) {
		tokens := strings.Fields(line)
		for i := 0; i+1 < len(tokens); i++ {
			if tok := tokens[i]; tok != "cairn" && tok != "cairnctl" && !strings.HasSuffix(tok, "/bin/cairn") {
				continue
			}
			sub := tokens[i+1]
			// "sudo -u cairn sh", "docker compose exec cairn cairn …": not a command.
			if !word.MatchString(sub) || sub == "sh" || sub == "cairn" {
				continue
			}
			actions, ok := cmds[sub]
			if !ok {
				t.Errorf("%q: cairn has no command %q", line, sub)
				continue
			}
			path, rest := []string{sub}, tokens[i+2:]
			if len(actions) > 0 && len(rest) > 0 && word.MatchString(rest[0]) {
				if !slices.Contains(actions, rest[0]) {
					t.Errorf("%q: cairn %s has no action %q (%v)", line, sub, rest[0], actions)
					continue
				}
				path, rest = append(path, rest[0]), rest[1:]
			} else if len(actions) > 0 && sub != "migrate" {
				continue // prose such as "cairn users …": nothing to run
			}
			var flags []string
			for _, tok := range rest {
				if separators[tok] || strings.HasPrefix(tok, ">") || strings.HasPrefix(tok, "2>") {
					break
				}
				last := strings.HasSuffix(tok, ";") // "…; unset P"
				tok = strings.TrimSuffix(tok, ";")
				if strings.HasPrefix(tok, "-") && len(tok) > 1 {
					name, _, _ := strings.Cut(strings.TrimLeft(tok, "-"), "=")
					flags = append(flags, name)
				}
				if last {
					break
				}
			}
			// -h prints the command's flags and stops before it opens anything.
			code, out, errOut := run(t, map[string]string{"CAIRN_DATA_DIR": t.TempDir()}, "", append(path, "-h")...)
			if code != 0 {
				t.Errorf("%q: cairn %s -h exits %d: %s", line, strings.Join(path, " "), code, errOut)
				continue
			}
			for _, flag := range flags {
				if !regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(flag) + `\b`).MatchString(out + errOut) {
					t.Errorf("%q: cairn %s has no flag --%s", line, strings.Join(path, " "), flag)
				}
			}
			checked++
		}
	}
	if checked < 15 {
		t.Errorf("checked only %d cairn command lines; is the parser still finding them?", checked)
	}
	t.Logf("checked %d cairn command lines", checked)
}
