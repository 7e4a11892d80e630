package rbactest

import (
	"flag"
	"os"
	"testing"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
)

func TestMain(m *testing.M) {
	// The controller logs every retry of a selector it cannot read.
	klog.SetLogger(logr.Discard())
	// The aggregation cases mostly wait for the controller to settle:
	// run more of them at once than there are cores, unless told.
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}
