package capabilities

// One reading of who a Pod container runs as, for every check that asks:
// the container's securityContext over the pod's, then the image's USER.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// containerUser is what decides a Pod container's user, as the kubelet
// resolves it.
type containerUser struct {
	// NonRoot is runAsNonRoot, the container's over the pod's.
	NonRoot *bool
	// UID and GID are runAsUser and runAsGroup, the container's over the
	// pod's; UIDFromPod and GIDFromPod say the pod's was taken.
	UID, GID               *int64
	UIDFromPod, GIDFromPod bool
	// Image is the container's image config when the subject carries it.
	Image *imagespec.Image
}

// userOf resolves c's user. It does not allocate.
func userOf(s *hardening.Subject, c hardening.PodContainer) containerUser {
	var u containerUser
	if sc := c.SecurityContext; sc != nil {
		u.NonRoot, u.UID, u.GID = sc.RunAsNonRoot, sc.RunAsUser, sc.RunAsGroup
	}
	if psc := s.Pod.Spec.SecurityContext; psc != nil {
		if u.NonRoot == nil {
			u.NonRoot = psc.RunAsNonRoot
		}
		if u.UID == nil && psc.RunAsUser != nil {
			u.UID, u.UIDFromPod = psc.RunAsUser, true
		}
		if u.GID == nil && psc.RunAsGroup != nil {
			u.GID, u.GIDFromPod = psc.RunAsGroup, true
		}
	}
	u.Image = s.ContainerImages[c.Image]
	return u
}

// RequiresNonRoot reports whether runAsNonRoot: true applies.
func (u containerUser) RequiresNonRoot() bool { return u.NonRoot != nil && *u.NonRoot }

// imageUser splits an image config's USER, "user[:group]", into its parts.
type imageUser struct {
	Raw, User, Group string
	HasGroup         bool
}

func parseImageUser(img *imagespec.Image) imageUser {
	raw := img.Config.User
	user, group, hasGroup := strings.Cut(raw, ":")
	return imageUser{Raw: raw, User: strings.TrimSpace(user), Group: strings.TrimSpace(group), HasGroup: hasGroup}
}

// Root reports whether the USER is root: unset, "root" or uid 0.
func (u imageUser) Root() bool {
	if u.User == "" || u.User == "root" {
		return true
	}
	n, ok := numericID(u.User)
	return ok && n == 0
}

// UID returns the numeric user, if the USER gives one.
func (u imageUser) UID() (int64, bool) { return numericID(u.User) }

// GID returns the numeric group, if the USER gives one.
func (u imageUser) GID() (int64, bool) {
	if !u.HasGroup {
		return 0, false
	}
	return numericID(u.Group)
}

// numericID parses a uid or gid as the kernel takes it: 0 to 2^32-2.
func numericID(s string) (int64, bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return int64(n), true
}

// imageRunsAsRoot reports whether an image config's USER is root, and the
// USER as written.
func imageRunsAsRoot(img *imagespec.Image) (bool, string) {
	u := parseImageUser(img)
	return u.Root(), u.Raw
}

func describeUser(user string) string {
	if user == "" {
		return `"" (unset)`
	}
	return strconv.Quote(user)
}
