package inspect

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
)

// lsm reads the process's AppArmor profile or SELinux label, telling "no
// LSM on this host" (the label files fail with EINVAL, and neither
// AppArmor nor SELinux shows in /sys) apart from "unconfined".
func (o *observer) lsm() {
	l := &o.obs.LSM
	apparmorOn := exists(o.sys, "kernel/security/apparmor") || o.sysFlag("module/apparmor/parameters/enabled")
	selinuxOn := exists(o.sys, "fs/selinux")

	// attr/apparmor/current (Linux 5.8+) is AppArmor's own, unambiguous
	// when several LSMs stack; attr/current belongs to the first LSM that
	// labels processes.
	var label, file string
	var lastErr error
	for _, name := range []string{o.procFile("attr/apparmor/current"), o.procFile("attr/current")} {
		data, err := readFile(o.proc, name)
		if err != nil {
			if !notAvailable(err) {
				lastErr = err
			}
			continue
		}
		label, file = strings.TrimRight(string(data), "\x00\n "), showProc(name)
		if strings.HasSuffix(name, "apparmor/current") {
			apparmorOn = true
		}
		break
	}
	switch {
	case file == "" && lastErr != nil:
		l.State = LSMUnknown
		o.unobserved("process.apparmorProfile", "the process's LSM label could not be read: "+lastErr.Error())
		o.unobserved("process.selinuxLabel", "the process's LSM label could not be read: "+lastErr.Error())
		return
	case file == "" || label == "" && !apparmorOn && !selinuxOn:
		// EINVAL (or no attr files) and no LSM in /sys.
		l.State = LSMNone
		if apparmorOn || selinuxOn {
			// The module is there but gives this process no label.
			l.State = LSMUnconfined
		}
		ev := "no AppArmor (/sys/kernel/security/apparmor, /sys/module/apparmor) or SELinux (/sys/fs/selinux)"
		o.evidence("process.apparmorProfile", showProc(o.procFile("attr/current")), ev, ConfidenceMedium)
		o.evidence("process.selinuxLabel", showProc(o.procFile("attr/current")), ev, ConfidenceMedium)
		return
	}
	l.Label = label
	isSELinux := !strings.HasSuffix(file, "apparmor/current") && selinuxOn && strings.Count(label, ":") >= 2 && !strings.Contains(label, " (")
	if isSELinux {
		l.Module = "selinux"
		l.State = LSMConfined
		if strings.Contains(label, ":unconfined_t:") || label == "unconfined" {
			l.State = LSMUnconfined
		}
		o.evidence("process.selinuxLabel", file, label, ConfidenceHigh)
		o.evidence("process.apparmorProfile", file, label, ConfidenceMedium)
		return
	}
	l.Module = "apparmor"
	profile, mode := label, ""
	if i := strings.LastIndex(label, " ("); i >= 0 && strings.HasSuffix(label, ")") {
		profile, mode = label[:i], label[i+2:len(label)-1]
	}
	l.Profile, l.Mode = profile, mode
	l.State = LSMConfined
	if profile == "unconfined" || mode == "unconfined" {
		l.State = LSMUnconfined
		l.Profile = ""
	}
	o.evidence("process.apparmorProfile", file, label, ConfidenceHigh)
	o.evidence("process.selinuxLabel", file, label, ConfidenceMedium)
}

// notAvailable reports whether an attr read failed because no LSM provides
// the file: EINVAL from the kernel, or the file missing.
func notAvailable(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, fs.ErrNotExist)
}

// sysFlag reports whether a sysfs boolean parameter reads "Y" or "1".
func (o *observer) sysFlag(name string) bool {
	v, err := readTrimmed(o.sys, name)
	return err == nil && (v == "Y" || v == "1")
}
