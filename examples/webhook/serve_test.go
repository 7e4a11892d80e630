package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admission/v1"
)

// mainEnv makes the test binary run the command's main with the arguments
// it holds (a JSON array), so that tests can signal a real process.
const mainEnv = "BULWARK_WEBHOOK_TEST_MAIN"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(mainEnv); ok {
		os.Args = []string{"webhook"}
		if err := json.Unmarshal([]byte(args), &os.Args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		main()
		os.Exit(0) // main exits itself; this only guards a return
	}
	os.Exit(m.Run())
}

// process is the command running in a child process.
type process struct {
	cmd   *exec.Cmd
	addr  string
	lines chan map[string]any // JSON log records, in order
	done  chan exited
}

type exited struct {
	err    error
	stderr string
}

func startMain(t *testing.T, args ...string) *process {
	t.Helper()
	argv, _ := json.Marshal(append([]string{"webhook"}, args...))
	p := &process{cmd: exec.Command(os.Args[0]), lines: make(chan map[string]any, 1000), done: make(chan exited, 1)}
	p.cmd.Env = append(os.Environ(), mainEnv+"="+string(argv))
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		var text []string
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			text = append(text, s.Text())
			var rec map[string]any
			if json.Unmarshal(s.Bytes(), &rec) == nil {
				select {
				case p.lines <- rec:
				default: // nobody is waiting for so many
				}
			}
		}
		close(p.lines)
		p.done <- exited{p.cmd.Wait(), strings.Join(text, "\n")}
	}()
	rec := p.await(t, "listening")
	p.addr, _ = rec["addr"].(string)
	return p
}

// await returns the next log record with message msg.
func (p *process) await(t *testing.T, msg string) map[string]any {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case rec, ok := <-p.lines:
			if !ok {
				t.Fatalf("the process ended before logging %q", msg)
			}
			if rec["msg"] == msg {
				return rec
			}
		case <-timeout:
			t.Fatalf("no %q log record in 10 s", msg)
		}
	}
}

// wait returns the process's exit code and what it wrote to standard error.
func (p *process) wait(t *testing.T) (int, string) {
	t.Helper()
	select {
	case e := <-p.done:
		var exit *exec.ExitError
		if errors.As(e.err, &exit) {
			return exit.ExitCode(), e.stderr
		}
		if e.err != nil {
			t.Fatal(e.err)
		}
		return 0, e.stderr
	case <-time.After(10 * time.Second):
		t.Fatal("the process did not exit within 10 s")
	}
	return 0, ""
}

// On SIGTERM or SIGINT the command stops accepting connections, answers
// the review in flight, and exits 0; a review that outlasts
// -shutdown-timeout is cut off and the command exits 1.
func TestGracefulShutdown(t *testing.T) {
	tests := []struct {
		name     string
		signal   syscall.Signal
		timeout  string
		finish   bool // send the rest of the slow review after the signal
		wantCode int
	}{
		{"SIGTERM", syscall.SIGTERM, "10s", true, 0},
		{"SIGINT", syscall.SIGINT, "10s", true, 0},
		{"a review outlasting -shutdown-timeout", syscall.SIGTERM, "300ms", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			certFile, keyFile, pool := selfSigned(t, dir)
			p := startMain(t, "-cert", certFile, "-key", keyFile, "-addr", "127.0.0.1:0",
				"-shutdown-timeout", tt.timeout, "-ns", "prod="+LabelEnforce+"=pss-baseline")

			// A slow review: headers and half the body, then the handler
			// waits for the rest. Expect: 100-continue makes the server say
			// when the handler has started reading.
			conn, err := tls.Dial("tcp", p.addr, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			req := pod("uid-in-flight", "prod", "careless-pod.yaml")
			req.object = object(t, req.file)
			body := review(req)
			fmt.Fprintf(conn, "POST /validate HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", len(body))
			conn.Write(body[:len(body)/2])
			br := bufio.NewReader(conn)
			if cont, err := http.ReadResponse(br, nil); err != nil || cont.StatusCode != http.StatusContinue {
				t.Fatalf("want 100 Continue once the handler reads: %v %v", cont, err)
			}

			if err := p.cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			p.await(t, "shutting down")
			refused := false
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				c, err := net.DialTimeout("tcp", p.addr, time.Second)
				if err != nil {
					refused = true
					break
				}
				c.Close()
			}
			if !refused {
				t.Error("still accepting connections 5 s after the signal")
			}

			if tt.finish {
				time.Sleep(100 * time.Millisecond) // the review is in flight after the signal
				conn.Write(body[len(body)/2:])
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatalf("the review in flight was not answered: %v", err)
				}
				data, _ := io.ReadAll(resp.Body)
				var got admissionv1.AdmissionReview
				if err := json.Unmarshal(data, &got); err != nil || got.Response == nil {
					t.Fatalf("HTTP %d %s: %v", resp.StatusCode, data, err)
				}
				if diff := cmp.Diff([]any{200, "uid-in-flight", false}, []any{resp.StatusCode, string(got.Response.UID), got.Response.Allowed}); diff != "" {
					t.Errorf("answer to the review in flight (-want +got):\n%s", diff)
				}
			}
			code, stderr := p.wait(t)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; standard error:\n%s", code, tt.wantCode, stderr)
			}
			if !tt.finish && !strings.Contains(stderr, "shutting down: context deadline exceeded") {
				t.Errorf("standard error does not say why:\n%s", stderr)
			}
		})
	}
}
