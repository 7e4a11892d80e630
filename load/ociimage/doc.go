// Package ociimage reads container images into [hardening.Subject]s of
// kind [hardening.KindImage]: OCI image layouts, OCI archives and
// docker-archives, their indexes, manifests, configs and layers, every
// blob verified as it streams and every layer merged into the filesystem
// the image runs with. Package load finds images among the paths of a run
// and hands them here; its documentation (sections Images, Image contents
// and Limits) describes what is read, how it is verified and what it may
// cost.
//
// Nothing here talks to a network: a registry client (the
// github.com/bulwarkdev/bulwark/registry module) feeds its blobs through
// the same verification, limits, platform selection and whiteout merging.
package ociimage
