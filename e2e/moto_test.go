//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// motoGlob is where a pyenv installation keeps moto_server for Python 3.11.
const motoGlob = "/root/.pyenv/versions/3.11*/bin/moto_server"

// findMotoServer looks for moto_server the way the README documents: $MOTO_SERVER,
// then PATH, then a pyenv Python 3.11. Each candidate must answer `-h`, so a
// pyenv shim for another Python version does not count. It returns the path
// and a description of everything it tried, for the failure message.
func findMotoServer() (string, []string) {
	var tried []string
	try := func(how, path string) bool {
		if path == "" {
			return false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, "-h").CombinedOutput()
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %s does not run (%v: %s)", how, path, err, firstLine(string(out))))
			return false
		}
		tried = append(tried, fmt.Sprintf("%s: %s", how, path))
		return true
	}
	if p := os.Getenv("MOTO_SERVER"); p != "" {
		// An explicit choice that does not run is an error, not a hint.
		if try("$MOTO_SERVER", p) {
			return p, tried
		}
		return "", tried
	} else {
		tried = append(tried, "$MOTO_SERVER: not set")
	}
	if p, err := exec.LookPath("moto_server"); err == nil {
		if try("PATH", p) {
			return p, tried
		}
	} else {
		tried = append(tried, "PATH: no moto_server")
	}
	matches, _ := filepath.Glob(motoGlob)
	sort.Sort(sort.Reverse(sort.StringSlice(matches)))
	if len(matches) == 0 {
		tried = append(tried, motoGlob+": no match")
	}
	for _, p := range matches {
		if try("pyenv", p) {
			return p, tried
		}
	}
	return "", tried
}

// motoVersion asks the Python interpreter named in moto_server's #! line for
// moto's version. A pyenv shim is resolved with `pyenv which` first. An empty
// result means it could not tell.
func motoVersion(server string) string {
	argv := shebang(server)
	if len(argv) > 0 && !strings.HasPrefix(filepath.Base(argv[len(argv)-1]), "python") {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, "pyenv", "which", filepath.Base(server)).Output()
		if err != nil {
			return ""
		}
		argv = shebang(strings.TrimSpace(string(out)))
	}
	if len(argv) == 0 {
		return ""
	}
	argv = append(argv, "-c", "import moto; print(moto.__version__)")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// shebang returns the interpreter command line of a script, or nil.
func shebang(script string) []string {
	f, err := os.Open(script)
	if err != nil {
		return nil
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	if !strings.HasPrefix(line, "#!") {
		return nil
	}
	return strings.Fields(strings.TrimPrefix(line, "#!"))
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

type motoServer struct {
	endpoint string
	logPath  string
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error
}

// startMoto starts moto_server on a free port of 127.0.0.1, waits until it
// answers and registers its shutdown with t.Cleanup, so it stops on success,
// on failure and on t.Fatal alike. The process also dies with the test binary
// (see procattr_linux_test.go).
func startMoto(t *testing.T, server, logDir string) *motoServer {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("no free TCP port on 127.0.0.1: %v", err)
		}
		m, err := launchMoto(server, port, logDir)
		if err == nil {
			t.Cleanup(func() { m.stop(t) })
			t.Logf("moto_server %s listens on %s (log: %s)", server, m.endpoint, m.logPath)
			return m
		}
		lastErr = err
	}
	t.Fatalf("moto_server did not start: %v", lastErr)
	return nil
}

func launchMoto(server string, port int, logDir string) (*motoServer, error) {
	logPath := filepath.Join(logDir, fmt.Sprintf("moto-%d.log", port))
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(server, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Env = append(os.Environ(),
		// AWS has its managed policies (AmazonEKSClusterPolicy, ...) in every
		// account; moto only when asked. See MOTO.md.
		"MOTO_IAM_LOAD_MANAGED_POLICIES=true",
	)
	cmd.SysProcAttr = motoProcAttr()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	m := &motoServer{endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), logPath: logPath, cmd: cmd, exited: make(chan struct{})}
	go func() {
		m.waitErr = cmd.Wait()
		logFile.Close()
		close(m.exited)
	}()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-m.exited:
			return nil, fmt.Errorf("moto_server exited early (%v); its log %s ends with:\n%s", m.waitErr, logPath, tailFile(logPath, 20))
		default:
		}
		resp, err := client.Get(m.endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m, nil
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	m.kill()
	return nil, fmt.Errorf("moto_server on port %d did not answer within 90s; its log %s ends with:\n%s", port, logPath, tailFile(logPath, 20))
}

// alive reports whether the server process still runs.
func (m *motoServer) alive() bool {
	select {
	case <-m.exited:
		return false
	default:
		return true
	}
}

func (m *motoServer) kill() {
	if m.cmd.Process != nil {
		_ = killGroup(m.cmd.Process.Pid, true)
	}
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
	}
}

func (m *motoServer) stop(t *testing.T) {
	if !m.alive() {
		if t.Failed() {
			t.Logf("moto_server had already exited (%v); its log ends with:\n%s", m.waitErr, tailFile(m.logPath, 30))
		}
		return
	}
	_ = killGroup(m.cmd.Process.Pid, false)
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
		m.kill()
	}
	if m.alive() {
		t.Errorf("moto_server (pid %d) did not stop", m.cmd.Process.Pid)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// tailFile returns the last n lines of a file.
func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
