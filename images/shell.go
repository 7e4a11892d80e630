package images

// Reading image history and shell commands, for the history checks.
//
// An image config's history[*].created_by is the only record of how the
// image was built. Builders write it in a few shapes:
//
//	/bin/sh -c #(nop)  ENV A=b                       classic builder, kaniko: a non-RUN instruction
//	/bin/sh -c apt-get update && …                   classic builder: RUN in shell form
//	|2 TOKEN=abc MODE=x /bin/sh -c make              classic builder: RUN with two build arguments
//	RUN |1 TOKEN=abc /bin/sh -c make # buildkit      BuildKit: RUN with one build argument
//	ENV A=b, ADD https://… /opt/ # buildkit          BuildKit: other instructions as written
//
// The readers here are heuristics over that text, not a shell parser: they
// split a command at the shell's control operators (quotes are not
// honoured, so `sh -c "curl … | sh"` is read through its quotes, which is
// what a check wants), and never allocate.

import (
	"strings"

	"github.com/bulwarkdev/bulwark/internal/imagefiles"
)

// step is one history entry read as a Dockerfile instruction.
type step struct {
	// op is the instruction in upper case ("RUN", "ENV", "ADD"), or ""
	// when created_by is in no shape this package knows.
	op string
	// args is the rest of the instruction: for RUN, the command the shell
	// ran, without "/bin/sh -c" and without the build arguments.
	args string
	// buildArgs holds a RUN's build arguments as the builder recorded them
	// ("TOKEN=abc MODE=x"), the values given with --build-arg or ARG
	// defaults, which every RUN after an ARG sees.
	buildArgs string
}

// instructions lists the Dockerfile instructions BuildKit records as written.
var instructions = [...]string{"RUN", "ENV", "ARG", "ADD", "COPY", "LABEL", "USER", "WORKDIR", "EXPOSE",
	"CMD", "ENTRYPOINT", "HEALTHCHECK", "VOLUME", "SHELL", "STOPSIGNAL", "ONBUILD", "MAINTAINER"}

// parseStep reads a history entry's created_by.
func parseStep(createdBy string) step {
	s := strings.TrimSpace(createdBy)
	if rest, ok := strings.CutSuffix(s, "# buildkit"); ok {
		s = strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c #(nop)"); ok {
		op, args := firstWord(strings.TrimSpace(rest))
		return step{op: op, args: args}
	}
	if strings.HasPrefix(s, "|") || strings.HasPrefix(s, "/bin/sh -c ") {
		return runStep(s)
	}
	op, args := firstWord(s)
	for _, in := range instructions {
		if op == in {
			if op == "RUN" {
				return runStep(args)
			}
			return step{op: op, args: args}
		}
	}
	return step{args: s}
}

// runStep reads a RUN's arguments: "[|N K=V …] [/bin/sh -c] command".
func runStep(s string) step {
	st := step{op: "RUN"}
	if len(s) > 1 && s[0] == '|' {
		n, rest := firstWord(s[1:])
		count := 0
		for i := 0; i < len(n); i++ {
			if n[i] < '0' || n[i] > '9' || count > 1000 {
				count = 0
				break
			}
			count = count*10 + int(n[i]-'0')
		}
		end := 0
		for range count {
			_, next := nextWord(rest, end)
			end = next
		}
		st.buildArgs = strings.TrimSpace(rest[:end])
		s = strings.TrimSpace(rest[end:])
	}
	for strings.HasPrefix(s, "--") { // RUN --mount=… --network=…
		_, rest := firstWord(s)
		s = rest
	}
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c "); ok {
		s = rest
	}
	st.args = strings.TrimSpace(s)
	return st
}

// firstWord splits s at its first run of white space.
func firstWord(s string) (word, rest string) {
	w, next := nextWord(s, 0)
	return w, strings.TrimSpace(s[next:])
}

func space(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// nextWord returns the word of s starting at or after i and the index after
// it; the word is "" at the end of s.
func nextWord(s string, i int) (string, int) {
	for i < len(s) && space(s[i]) {
		i++
	}
	start := i
	for i < len(s) && !space(s[i]) {
		i++
	}
	return s[start:i], i
}

// unquote trims the quotes and brackets a word may carry from its shell or
// JSON context: "x", 'x', ["x", x],.
func unquote(w string) string {
	return strings.Trim(w, `"'[],`+"`")
}

// Separators between simple commands.
const (
	sepEnd   = iota // end of the text
	sepPipe         // |
	sepSubst        // $( <( ` : a command substitution follows
	sepOther        // && || ; & newline ( ) { }
)

// nextCommand returns the simple command of sh starting at i (trimmed),
// the separator that ends it and the index after the separator.
func nextCommand(sh string, i int) (cmd string, sep int, next int) {
	start := i
	for ; i < len(sh); i++ {
		switch c := sh[i]; c {
		case '|':
			if i+1 < len(sh) && sh[i+1] == '|' {
				return strings.TrimSpace(sh[start:i]), sepOther, i + 2
			}
			return strings.TrimSpace(sh[start:i]), sepPipe, i + 1
		case '&':
			if i+1 < len(sh) && sh[i+1] == '&' {
				return strings.TrimSpace(sh[start:i]), sepOther, i + 2
			}
			if i > 0 && (sh[i-1] == '>' || sh[i-1] == '<') || i+1 < len(sh) && sh[i+1] == '>' {
				continue // 2>&1, &>file
			}
			return strings.TrimSpace(sh[start:i]), sepOther, i + 1
		case '$', '<':
			if i+1 < len(sh) && sh[i+1] == '(' {
				return strings.TrimSpace(sh[start:i]), sepSubst, i + 2
			}
		case '`':
			return strings.TrimSpace(sh[start:i]), sepSubst, i + 1
		case ';', '\n', '(', ')', '{', '}':
			return strings.TrimSpace(sh[start:i]), sepOther, i + 1
		}
	}
	return strings.TrimSpace(sh[start:]), sepEnd, len(sh)
}

// wrappers run the command that follows them.
var wrappers = [...]string{"sudo", "doas", "env", "exec", "nohup", "time", "command", "builtin", "xargs", "gosu", "su-exec", "chroot", "setpriv", "runuser"}

// commandName returns the command a simple command runs, as its base name
// ("/usr/bin/curl" is "curl"), after leading variable assignments
// (A=b cmd); and the index in cmd just after that word. With unwrap, it
// looks through wrappers such as sudo, env and exec, and their options
// ("sudo -E bash -" runs bash).
func commandName(cmd string, unwrap bool) (string, int) {
	i := 0
	wrapped := false
	for {
		w, next := nextWord(cmd, i)
		if w == "" {
			return "", next
		}
		w = unquote(w)
		switch {
		case assignment(w), wrapped && strings.HasPrefix(w, "-"):
			// A=b cmd, or an option of a wrapper (env -i)
			if wrapped && len(w) == 2 && strings.IndexByte("ugCDU", w[1]) >= 0 {
				_, next = nextWord(cmd, next) // sudo -u app, env -u NAME: the option's value
			}
		default:
			name := baseName(w)
			if unwrap && isWrapper(name) {
				wrapped = true
				break
			}
			return name, next
		}
		i = next
	}
}

func isWrapper(name string) bool {
	for _, w := range wrappers {
		if name == w {
			return true
		}
	}
	return false
}

// assignment reports a shell variable assignment word: NAME=value.
func assignment(w string) bool {
	eq := strings.IndexByte(w, '=')
	return eq > 0 && shellName(w[:eq])
}

// baseName returns the last element of a slash-separated path.
func baseName(p string) string { return imagefiles.BaseName(p) }

// isShell reports a shell or script interpreter that runs code it reads
// from standard input or from an argument.
func isShell(name string) bool {
	switch name {
	case "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", "fish", "perl", "ruby", "node", "php", "eval", "source", ".":
		return true
	}
	return strings.HasPrefix(name, "python")
}

// isFetch reports a command that downloads.
func isFetch(name string) bool {
	return name == "curl" || name == "wget" || name == "fetch"
}
