package images

// Check images.secret-in-config: a secret written into an image config's
// labels or recorded in its build history.
//
// Image config fields:
//
//	config.Labels[*]
//	history[*].created_by: ENV and ARG instructions, LABEL instructions,
//	the build arguments recorded with each RUN ("|1 NPM_TOKEN=… /bin/sh -c …",
//	the values given with docker build --build-arg), and the RUN command line itself
//
// Allowed values: anything that is not a secret by the rules of
// images.secret-in-env ([LooksSecret] on the name, harmless and reference
// values ignored, URLs with a password reported whatever their name). In a
// RUN command line the names are those of variable assignments
// (TOKEN=… make, export TOKEN=…) and of options (--password=…, --api-key …);
// besides, curl -u/--user user:password and docker/podman/buildah/skopeo
// login -p/--password are read, and every word is checked for a URL with a
// password.
//
// config.Env is left to images.secret-in-env: an ENV step whose assignment
// is still in config.Env word for word is not reported again, nor a LABEL
// step still in config.Labels; a build argument is reported at the first
// step that records it, not at every RUN after it. The history is text, so
// a quoted value with spaces is read up to its first space. Messages name
// the variable, label or option and the value's length, never the value.
//
// This is a check of its own rather than part of images.secret-in-env so
// that each ID keeps one meaning: secret-in-env reads environment variables
// the same way in Pods, specs and images, while labels and history exist
// only in images and history is read with heuristics a user may want to
// suppress on their own.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// SecretInConfig reports secrets in an image config's labels and history.
var SecretInConfig = &hardening.Check{
	ID:       "images.secret-in-config",
	Title:    "secret in an image's labels or build history",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Labels and history travel with the image config to everyone who can pull the image, and docker history " +
		"shows them: build arguments, ENV and ARG values and command lines of every step are recorded there for good, " +
		"even when a later step removes the variable or the file.",
	Remediation: "Pass build-time secrets with BuildKit secret mounts (RUN --mount=type=secret) instead of ARG, ENV or " +
		"--build-arg, keep credentials out of labels and command lines, rebuild the image and rotate the secret: it has been exposed.",
	References: []hardening.Reference{
		imCIS("4.10"),
		{Kind: hardening.RefDoc, ID: "Docker build secrets", URL: "https://docs.docker.com/build/building/secrets/"},
		imNCC("inner-container"),
	},
	Run: runSecretInConfig,
}

func runSecretInConfig(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	img := s.Image
	if img == nil {
		return out
	}
	mark := len(out)
	for k, v := range img.Config.Labels {
		if why, ok := secretEnv(k, v); ok {
			out = append(out, hardening.Finding{
				Path:    hardening.Key("config.Labels", k),
				Message: "label " + strconv.Quote(k) + " holds " + why,
			})
		}
	}
	slices.SortFunc(out[mark:], func(a, b hardening.Finding) int { return strings.Compare(a.Path, b.Path) })
	for i := range img.History {
		out = secretInStep(out, img, i)
	}
	return out
}

func secretInStep(out []hardening.Finding, img *imagespec.Image, i int) []hardening.Finding {
	st := parseStep(img.History[i].CreatedBy)
	report := func(what string) {
		out = append(out, hardening.Finding{Path: historyPath(i), Message: "step " + strconv.Itoa(i) + " " + what})
	}
	switch st.op {
	case "ENV", "ARG", "LABEL":
		if st.op == "ENV" && !strings.Contains(st.args, "=") { // legacy ENV NAME value
			name, value := firstWord(st.args)
			if why, ok := secretEnv(name, value); ok && !slices.Contains(img.Config.Env, name+"="+value) {
				report("sets ENV " + name + " to " + why)
			}
			return out
		}
		for j := 0; j < len(st.args); {
			w, next := nextWord(st.args, j)
			j = next
			name, value, ok := strings.Cut(w, "=")
			if !ok {
				continue
			}
			name, value = unquote(name), unquote(value)
			why, secret := secretEnv(name, value)
			switch {
			case !secret:
			case st.op == "ENV" && envHas(img.Config.Env, name, value):
				// left to images.secret-in-env
			case st.op == "LABEL" && img.Config.Labels[name] == value:
				// reported at config.Labels
			default:
				report("sets " + st.op + " " + name + " to " + why)
			}
		}
	case "RUN":
		for j := 0; j < len(st.buildArgs); {
			w, next := nextWord(st.buildArgs, j)
			j = next
			name, value, _ := strings.Cut(w, "=")
			if why, ok := secretEnv(name, value); ok && !buildArgSeen(img, i, w) {
				report("runs with build argument " + name + " set to " + why)
			}
		}
		secretInCommand(st.args, report)
	default:
		for j := 0; j < len(st.args); {
			w, next := nextWord(st.args, j)
			j = next
			if urlWithPassword(unquote(w)) {
				report("records a URL with an embedded password (" + strconv.Itoa(len(unquote(w))) + " characters, not shown)")
			}
		}
	}
	return out
}

// envHas reports whether env holds NAME=value, without allocating.
func envHas(env []string, name, value string) bool {
	for _, kv := range env {
		if len(kv) == len(name)+1+len(value) && strings.HasPrefix(kv, name) && kv[len(name)] == '=' && strings.HasSuffix(kv, value) {
			return true
		}
	}
	return false
}

// buildArgSeen reports whether a step before i recorded the same build
// argument assignment, as a RUN's build argument or an ARG default.
func buildArgSeen(img *imagespec.Image, i int, assignment string) bool {
	for k := range i {
		st := parseStep(img.History[k].CreatedBy)
		args := st.buildArgs
		if st.op == "ARG" {
			args = st.args // ARG NAME=default, reported there
		}
		for j := 0; j < len(args); {
			w, next := nextWord(args, j)
			j = next
			if w == assignment {
				return true
			}
		}
	}
	return false
}

// secretInCommand reads a RUN command line for literal secrets.
func secretInCommand(sh string, report func(what string)) {
	for i := 0; i < len(sh); {
		cmd, _, next := nextCommand(sh, i)
		i = next
		name, _ := commandName(cmd, true)
		for j := 0; j < len(cmd); {
			raw, n := nextWord(cmd, j)
			j = n
			w := unquote(raw)
			switch {
			case assignment(w):
				k, v, _ := strings.Cut(w, "=")
				if why, ok := secretEnv(k, v); ok {
					report("sets " + k + " to " + why)
				}
			case strings.HasPrefix(w, "-") && len(w) > 1:
				next, _ := nextWord(cmd, j)
				if opt, why, ok := secretOption(name, w, unquote(next)); ok {
					report("passes " + name + " " + opt + " " + why)
				}
			case urlWithPassword(w):
				report("passes " + name + " a URL with an embedded password (" + strconv.Itoa(len(w)) + " characters, not shown)")
			}
		}
	}
}

// secretOption reads a command-line option (word) and the word after it
// for a secret: curl -u user:password, docker login -p password, or any
// long option whose name looks secret (--password=…, --api-key …).
func secretOption(cmd, word, next string) (option, why string, ok bool) {
	flag, value, inline := strings.Cut(strings.TrimLeft(word, "-"), "=")
	if !inline {
		value = next
	}
	long := strings.HasPrefix(word, "--")
	switch {
	case cmd == "curl" && (word == "-u" || long && flag == "user" || !long && strings.HasPrefix(word, "-u")):
		if word != "-u" && !long {
			value = word[2:] // -uuser:password
		}
		_, password, found := strings.Cut(value, ":")
		if !found || password == "" || isReference(password) || strings.HasPrefix(password, "$") {
			return "", "", false
		}
		return "-u", "a user and a literal password (not shown)", true
	case value == "" || strings.HasPrefix(value, "-") || harmlessValue(value):
		return "", "", false
	case (cmd == "docker" || cmd == "podman" || cmd == "buildah" || cmd == "skopeo" || cmd == "nerdctl" || cmd == "helm") &&
		(word == "-p" || long && flag == "password"):
		return "--password", "a literal value of " + strconv.Itoa(len(value)) + " characters (not shown)", true
	case long && LooksSecret(flag) && !flagWithoutValue(flag):
		if strings.Contains(value, "=") {
			return "", "", false // --secret id=npm,src=…: a reference, not a value
		}
		if urlWithPassword(value) {
			return "--" + flag, "a URL with an embedded password (not shown)", true
		}
		return "--" + flag, "a literal value of " + strconv.Itoa(len(value)) + " characters (not shown); its name says it is a secret", true
	}
	return "", "", false
}

// flagWithoutValue reports options named like secrets that take no secret
// value: --password-stdin, --token-prompt, --secret-env NAME.
func flagWithoutValue(flag string) bool {
	for _, suffix := range [...]string{"-stdin", "-prompt", "-env", "-from-env", "-cmd", "-command"} {
		if strings.HasSuffix(flag, suffix) {
			return true
		}
	}
	return false
}
