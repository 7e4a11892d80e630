package images

// Check images.file-capabilities: files with file capabilities (the
// security.capability extended attribute setcap writes).
//
// Image contents read: every entry's Xattrs["security.capability"] (a tar
// layer records it as the PAX record SCHILY.xattr.security.capability).
//
// Allowed values: no security.capability attribute. The attribute is a
// struct vfs_cap_data (linux/capability.h), little-endian: a magic_etc word
// whose top byte is the revision (1: one 32-bit permitted/inheritable pair;
// 2: two pairs, for capabilities 0-63; 3: two pairs and the root uid of the
// user namespace the capabilities apply in) and whose bit 0 is the effective
// flag. The message names the capabilities as setcap shows them
// (cap_net_raw=ep), and the revision 3 root uid. Capability numbers follow
// the kernel's (0 CAP_CHOWN … 40 CAP_CHECKPOINT_RESTORE); a number this
// package does not know is shown as cap_N.
//
// Severities: info for the file capabilities distributions set instead of
// setuid (ping, arping and clockdiff with cap_net_raw/cap_net_admin;
// newuidmap with cap_setuid, newgidmap with cap_setgid, in a bin
// directory); high when the permitted set holds a capability equivalent to
// root (cap_sys_admin, cap_sys_module, cap_sys_ptrace, cap_sys_rawio,
// cap_dac_override, cap_dac_read_search, cap_setuid, cap_setgid,
// cap_setfcap, cap_chown, cap_fowner, cap_bpf); medium otherwise and for
// an attribute that cannot be decoded.

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/capnames"
)

// FileCapabilities reports files that gain capabilities when executed.
var FileCapabilities = &hardening.Check{
	ID:       "images.file-capabilities",
	Title:    "file with file capabilities",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "A file with file capabilities gives them to whoever runs it, as a quieter setuid: searches for setuid bits " +
		"miss it, and capabilities such as cap_setuid or cap_sys_admin make it a way to root.",
	Remediation: "Remove the attribute (setcap -r FILE) unless the container's user needs it; grant the capability to the " +
		"container instead (securityContext.capabilities.add) and run with no_new_privs, which limits file capabilities.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "capabilities(7): file capabilities", URL: "https://man7.org/linux/man-pages/man7/capabilities.7.html"},
		imNCC("inner-container"),
	},
	Run: runFileCapabilities,
}

// capMask returns the bitmask of the named capabilities (names as
// capabilities.Parse reads them), as vfs_cap_data holds them.
func capMask(names ...string) uint64 {
	var mask uint64
	for _, name := range names {
		n, ok := capnames.Parse(name)
		if !ok {
			panic("images: not a capability: " + name)
		}
		mask |= 1 << n
	}
	return mask
}

// rootEquivalent are the file capabilities that make whoever runs the file
// root.
var rootEquivalent = capMask("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "SETGID", "SETUID",
	"SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "SYS_ADMIN", "SETFCAP", "BPF")

// distroFileCaps are the file capabilities distributions set instead of
// setuid, by name in a bin directory, and the most each may hold.
var distroFileCaps = [...]struct {
	name string
	max  uint64
}{
	{"ping", capMask("NET_RAW", "NET_ADMIN")}, {"ping6", capMask("NET_RAW", "NET_ADMIN")},
	{"arping", capMask("NET_RAW")}, {"clockdiff", capMask("NET_RAW")},
	{"newuidmap", capMask("SETUID")}, {"newgidmap", capMask("SETGID")},
}

// fileCaps is a decoded vfs_cap_data.
type fileCaps struct {
	revision               int
	effective              bool
	permitted, inheritable uint64
	rootID                 uint32
	hasRootID              bool
}

// decodeFileCaps decodes a security.capability attribute.
func decodeFileCaps(v string) (fileCaps, bool) {
	if len(v) < 4 {
		return fileCaps{}, false
	}
	u32 := func(off int) uint32 {
		return uint32(v[off]) | uint32(v[off+1])<<8 | uint32(v[off+2])<<16 | uint32(v[off+3])<<24
	}
	magic := u32(0)
	fc := fileCaps{revision: int(magic >> 24), effective: magic&1 != 0}
	word := func(i int) uint64 { return uint64(u32(4 + 4*i)) }
	switch {
	case fc.revision == 1 && len(v) == 12:
		fc.permitted, fc.inheritable = word(0), word(1)
	case fc.revision == 2 && len(v) == 20, fc.revision == 3 && len(v) == 24:
		fc.permitted, fc.inheritable = word(0)|word(2)<<32, word(1)|word(3)<<32
		if fc.revision == 3 {
			fc.rootID, fc.hasRootID = uint32(word(4)), true
		}
	default:
		return fileCaps{}, false
	}
	return fc, true
}

// String renders the capabilities as setcap does: "cap_net_raw=ep".
func (fc fileCaps) String() string {
	var b strings.Builder
	group := func(mask uint64, flags string) {
		if mask == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		first := true
		for i := 0; i < 64; i++ {
			if mask&(1<<i) == 0 {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(strings.ToLower(capnames.OCIName(i)))
		}
		b.WriteString("=" + flags)
	}
	e := ""
	if fc.effective {
		e = "e"
	}
	both := fc.permitted & fc.inheritable
	group(both, e+"ip")
	group(fc.permitted&^both, e+"p")
	group(fc.inheritable&^both, "i")
	if b.Len() == 0 {
		return "no capabilities"
	}
	return b.String()
}

func runFileCapabilities(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		v, ok := f.Xattrs["security.capability"]
		if !ok {
			continue
		}
		fc, ok := decodeFileCaps(v)
		if !ok {
			out = append(out, hardening.Finding{
				Path:    f.Path,
				Message: f.Path + " has a security.capability attribute that cannot be decoded (" + strconv.Itoa(len(v)) + " bytes: " + hex.EncodeToString([]byte(v)) + ") " + inLayer(f),
			})
			continue
		}
		finding := hardening.Finding{
			Path: f.Path,
			Message: f.Path + " has file capabilities " + fc.String() + " (permitted 0x" + strconv.FormatUint(fc.permitted, 16) +
				", inheritable 0x" + strconv.FormatUint(fc.inheritable, 16) + ") " + inLayer(f),
		}
		if fc.hasRootID && fc.rootID != 0 {
			finding.Message += "; they apply only in the user namespace whose root is host uid " + strconv.FormatUint(uint64(fc.rootID), 10)
		}
		switch {
		case fc.permitted&rootEquivalent != 0 && !distroFileCap(f.Path, fc):
			finding.Severity = hardening.SeverityHigh
			finding.Message += ": whoever runs it can make itself root"
		case distroFileCap(f.Path, fc):
			finding.Severity = hardening.SeverityInfo
			finding.Message += "; a distribution sets it so in place of setuid"
		}
		out = append(out, finding)
	}
	return out
}

func distroFileCap(p string, fc fileCaps) bool {
	name, ok := inBinDir(p)
	if !ok {
		return false
	}
	for _, d := range distroFileCaps {
		if name == d.name {
			return (fc.permitted|fc.inheritable)&^d.max == 0
		}
	}
	return false
}
