package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"privileged and the added capabilities are left", nil, 1, []string{
			"+          runAsUser: 65532\n",
			"+          allowPrivilegeEscalation: false\n",
			"spec.template.spec.containers[1].securityContext.privileged [capabilities.privileged]",
		}},
		{"with the decisions the sample passes", []string{"-decide", "capabilities.privileged=remove", "-decide", "capabilities.pss-restricted=remove"}, 0, []string{
			"-          privileged: true\n",
			"0 left\n",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if code := run(tt.args, &out); code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
