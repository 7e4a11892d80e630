package images_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/google/go-cmp/cmp"
)

// Shape-valid fakes: random strings in each issuer's format, issued by
// no one. Keys are throwaway keys, cut after their first lines.
const (
	fakeGHP       = "ghp_9naHVck6pbd4ZRj2SxphvDTwrzqwo72n3wZu"
	fakeGHS       = "ghs_IlN8YS2UbsHFj42g5hzdeDU16Jsz7GolI8Gw"
	fakeGitHubPAT = "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"
	fakeAKIA      = "AKIAT4TB3YAWYAJQP7VU"
	fakeASIA      = "ASIAPU7UAWOVDLGZVIVG"
	fakeXoxb      = "xoxb-557989791690-1272398895563-JPHOhHUDLk1TRX6vD3MKQ9Ab"
	fakeXoxp      = "xoxp-452452079311-431782352905-6362592827777-5d2d8e70eac510ee0aee8ceec35aefae"
	fakeStripe    = "sk_live_51HqLyjWDarjtT1zdp7dc0xPqLm"
	fakeJWT       = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OnByb2Q6ZGVwbG95ZXIifQ.K21wV8w3zKml5oJaitQ9m3CKU4WUTeV7TPY9fG7K23GS0PDO8HOkw7SvwairMUP-c3QlW5yDbnr-gPxeePi9Ug"
	fakeOpenSSH   = "-----BEGIN OPENSSH PRIVATE KEY-----\n" +
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n" +
		"QyNTUxOQAAACBDMfC791bxw3BBIfdfnfeRPYQ8N3E9neCFAtN1Os5QhAAAAIisAdXHrAHV\n" +
		"-----END OPENSSH PRIVATE KEY-----\n"
	fakeOpenSSHEncrypted = "-----BEGIN OPENSSH PRIVATE KEY-----\n" +
		"b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABCpQ7MowP\n" +
		"murT9tvYhUh6gyAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIKd9jeVhUdujqCno\n" +
		"-----END OPENSSH PRIVATE KEY-----\n"
	fakePKCS8 = "-----BEGIN PRIVATE KEY-----\n" +
		"MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCXOqvG6WPY+7bv\n" +
		"lcwGA46MNmDt5cjN4suxvdLQINy4rOxfSjcNjfNs8Wj1ylezp+MdvHBSy5MPgB+a\n" +
		"-----END PRIVATE KEY-----"
)

func TestFindSecret(t *testing.T) {
	high, medium, info := hardening.SeverityHigh, hardening.SeverityMedium, hardening.SeverityInfo
	type found struct {
		Kind, Shown, Match string
		Severity           hardening.Severity
		Note               string
	}
	tests := []struct {
		name, value string
		want        *found
	}{
		{"GitHub personal access token", fakeGHP, &found{"GitHub personal access token", "ghp_", fakeGHP, high, ""}},
		{"GitHub App installation token in a URL", "https://x-access-token:" + fakeGHS + "@github.com/org/repo.git",
			&found{"GitHub App installation token", "ghs_", fakeGHS, high, ""}},
		{"GitHub fine-grained token", "token " + fakeGitHubPAT, &found{"GitHub fine-grained personal access token", "github_pat_", fakeGitHubPAT, high, ""}},
		{"AWS access key ID", "AWS_ACCESS_KEY_ID=" + fakeAKIA, &found{"AWS access key ID", "AKIA", fakeAKIA, medium, "its secret access key usually travels with it"}},
		{"AWS temporary key ID", fakeASIA, &found{"AWS temporary access key ID", "ASIA", fakeASIA, medium, "its secret access key usually travels with it"}},
		{"AWS documentation key", "AKIAIOSFODNN7EXAMPLE", &found{"AWS access key ID", "AKIA", "AKIAIOSFODNN7EXAMPLE", info, "AWS's documentation example"}},
		{"Slack bot token", fakeXoxb, &found{"Slack token", "xoxb-", fakeXoxb, high, ""}},
		{"Slack user token in JSON", `{"token":"` + fakeXoxp + `"}`, &found{"Slack token", "xoxp-", fakeXoxp, high, ""}},
		{"Stripe live key", fakeStripe, &found{"Stripe live secret key", "sk_live_", fakeStripe, high, ""}},
		{"JWT", "Bearer " + fakeJWT, &found{"JSON Web Token", "eyJ", fakeJWT, high, "alg RS256"}},
		{"unsigned JWT", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", &found{"JSON Web Token", "eyJ", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", high, "alg none"}},
		{"OpenSSH key", fakeOpenSSH, &found{"OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----", strings.TrimSuffix(fakeOpenSSH, "\n"), high, ""}},
		{"encrypted OpenSSH key", fakeOpenSSHEncrypted, &found{"OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----", strings.TrimSuffix(fakeOpenSSHEncrypted, "\n"), medium, "encrypted"}},
		{"PKCS#8 key with escaped newlines", strings.ReplaceAll(fakePKCS8, "\n", `\n`),
			&found{"PEM private key", "-----BEGIN PRIVATE KEY-----", strings.ReplaceAll(fakePKCS8, "\n", `\n`), high, ""}},
		{"key in a service account JSON", `{"type":"service_account","private_key":"` + strings.ReplaceAll(fakePKCS8, "\n", `\n`) + `\n"}`,
			&found{"PEM private key", "-----BEGIN PRIVATE KEY-----", strings.ReplaceAll(fakePKCS8, "\n", `\n`), high, ""}},
		{"legacy encrypted RSA key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,5E0C6E6A0D7F0B1C2D3E4F5061728394\n\nq3v1Yb5cB6Q0a8uN2m9Zt4Lk7Jd0Pw1Rx3Sy5Tz7Uv9Wa2Xb4Yc6Zd8Ae0Bf2Cg4Dh6\n-----END RSA PRIVATE KEY-----",
			&found{"RSA private key", "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,5E0C6E6A0D7F0B1C2D3E4F5061728394\n\nq3v1Yb5cB6Q0a8uN2m9Zt4Lk7Jd0Pw1Rx3Sy5Tz7Uv9Wa2Xb4Yc6Zd8Ae0Bf2Cg4Dh6\n-----END RSA PRIVATE KEY-----", medium, "encrypted"}},
		{"first of several", fakeAKIA + " " + fakeGHP, &found{"AWS access key ID", "AKIA", fakeAKIA, medium, "its secret access key usually travels with it"}},

		// Not secrets, or not recognisable as one.
		{"empty", "", nil},
		{"placeholder GitHub token", "ghp_" + strings.Repeat("x", 36), nil},
		{"GitHub token one short", fakeGHP[:len(fakeGHP)-1], nil},
		{"GitHub token one long", fakeGHP + "a", nil},
		{"GitHub token inside a word", "xghp_9naHVck6pbd4ZRj2SxphvDTwrzqwo72n3wZu", nil},
		{"AWS key ID placeholder", "AKIAXXXXXXXXXXXXXXXX", nil},
		{"AWS key ID with a digit outside base32", "AKIAT4TB3YAWYAJQP7V1", nil},
		{"AWS key ID inside a word", "XAKIAT4TB3YAWYAJQP7VU", nil},
		{"AWS key ID too long", fakeAKIA + "A", nil},
		{"Slack placeholder", "xoxb-your-bot-token-goes-here", nil},
		{"Slack prefix alone", "xoxb-", nil},
		{"Stripe test key", "sk_test_51HqLyjWDarjtT1zdp7dc0xPqLm", nil},
		{"JWT with a header that is not JSON", "eyJub3QganNvbg.eyJzdWIiOiJ4In0.c2ln", nil},
		{"JWT header without alg", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln", nil},
		{"JWE has five parts", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.a.b.c", nil},
		{"two parts", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0", nil},
		{"PEM header alone", "-----BEGIN RSA PRIVATE KEY-----", nil},
		{"PEM header and a placeholder", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----", nil},
		{"public key", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----", nil},
		{"certificate", "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQwZ2mJ8dX1fG0bY3mV5tZ0rQ9nYwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----", nil},
		{"sha256", "sha256:0e9cbd0ea8e24e32f7dfca5bab17a2ba05652642f0b09a4a6d9d7d1b9a5c4b5f", nil},
		{"ordinary settings", "postgres://db:5432/app?sslmode=require", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := images.FindSecret(tt.value)
			var got *found
			if ok {
				got = &found{s.Kind, s.Shown, tt.value[s.Start:s.End], s.Severity, s.Note}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FindSecret (-want +got):\n%s", diff)
			}
			b, okb := images.FindSecretBytes([]byte(tt.value))
			if okb != ok || b != s {
				t.Errorf("FindSecretBytes disagrees: %+v %v, FindSecret %+v %v", b, okb, s, ok)
			}
		})
	}
}

func TestSecretStringHidesTheSecret(t *testing.T) {
	for _, v := range []string{fakeGHP, fakeGitHubPAT, fakeAKIA, fakeXoxb, fakeStripe, fakeJWT, fakeOpenSSH, fakePKCS8} {
		s, ok := images.FindSecret(v)
		if !ok {
			t.Fatalf("%.10s…: not found", v)
		}
		if err := showsOnlyItsShape(s); err != "" {
			t.Error(err)
		}
	}
	s, _ := images.FindSecret(fakeGHP)
	if want := "a GitHub personal access token (ghp_…, 40 characters, not shown)"; s.String() != want {
		t.Errorf("String() = %q, want %q", s.String(), want)
	}
	s, _ = images.FindSecret(fakeAKIA)
	if want := "an AWS access key ID (AKIA…, 20 characters, not shown; its secret access key usually travels with it)"; s.String() != want {
		t.Errorf("String() = %q, want %q", s.String(), want)
	}
}

// showsOnlyItsShape returns what is wrong when s's description holds
// anything but its kind, its shown prefix (a fixed token prefix or a PEM
// BEGIN line), its note and fixed words.
func showsOnlyItsShape(s images.Secret) string {
	fixed := map[string]bool{"ghp_": true, "gho_": true, "ghu_": true, "ghs_": true, "ghr_": true, "github_pat_": true,
		"AKIA": true, "ASIA": true, "sk_live_": true, "rk_live_": true, "eyJ": true,
		"xoxa-": true, "xoxb-": true, "xoxe-": true, "xoxo-": true, "xoxp-": true, "xoxr-": true, "xoxs-": true}
	pemLine := strings.HasPrefix(s.Shown, "-----BEGIN ") && (strings.HasSuffix(s.Shown, " KEY-----") || strings.HasSuffix(s.Shown, " KEY BLOCK-----"))
	if !fixed[s.Shown] && !pemLine {
		return "shows " + strconv.Quote(s.Shown)
	}
	if s.Note != "" && !strings.HasPrefix(s.Note, "alg ") && !slices.Contains([]string{"encrypted", "its secret access key usually travels with it", "AWS's documentation example"}, s.Note) {
		return "notes " + strconv.Quote(s.Note)
	}
	want := " " + s.Kind + " (" + s.Shown + "…, " + strconv.Itoa(s.End-s.Start) + " characters, not shown"
	if s.Note != "" {
		want += "; " + s.Note
	}
	want += ")"
	if msg := s.String(); !strings.HasSuffix(msg, want) || (msg != "a"+want && msg != "an"+want) {
		return "describes it as " + strconv.Quote(msg)
	}
	return ""
}

func TestFindSecretDoesNotAllocate(t *testing.T) {
	v := strings.Repeat("LOG_LEVEL=debug eyJ-not-a-token AKIA-short ghp_short xoxb- -----BEGIN nothing ", 50)
	if _, ok := images.FindSecret(v); ok {
		t.Fatal("found a secret in harmless text")
	}
	if n := testing.AllocsPerRun(100, func() { images.FindSecret(v) }); n != 0 {
		t.Errorf("FindSecret on harmless text: %v allocations", n)
	}
}

// FuzzFindSecret: no panic; strings and bytes agree; a match lies within
// the value, starts with what it shows, is found again on its own, and its
// description shows nothing of it beyond that.
func FuzzFindSecret(f *testing.F) {
	for _, v := range []string{fakeGHP, fakeGitHubPAT, fakeAKIA, fakeASIA, fakeXoxb, fakeXoxp, fakeStripe, fakeJWT, fakeOpenSSH,
		fakeOpenSSHEncrypted, strings.ReplaceAll(fakePKCS8, "\n", `\n`), "eyJhbGciOiJub25lIn0.eyJ9.", "-----BEGIN  PRIVATE KEY-----\\r\\n",
		"xoxs-1-" + strings.Repeat("a", 20), "AKIAIOSFODNN7EXAMPLE"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, ok := images.FindSecret(v)
		b, okb := images.FindSecretBytes([]byte(v))
		if ok != okb || s != b {
			t.Fatalf("string and bytes disagree: %+v %v, %+v %v", s, ok, b, okb)
		}
		if !ok {
			return
		}
		if s.Start < 0 || s.Start >= s.End || s.End > len(v) || !strings.HasPrefix(v[s.Start:s.End], s.Shown) {
			t.Fatalf("match %+v out of %q", s, v)
		}
		alone, ok := images.FindSecret(v[s.Start:s.End])
		if !ok || alone.Kind != s.Kind || alone.End-alone.Start != s.End-s.Start {
			t.Fatalf("%q: the match %q alone gives %+v %v", v, v[s.Start:s.End], alone, ok)
		}
		if err := showsOnlyItsShape(s); err != "" {
			t.Fatalf("%q: %s", v, err)
		}
	})
}
