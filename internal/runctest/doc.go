// Package runctest starts real runc containers for bulwark's tests: it
// builds a bundle whose rootfs is a static busybox, writes the spec under
// test into it and runs it, so a test can compare what bulwark says about a
// spec with what the kernel gives the process.
//
// Tests using it skip unless they run as root on a machine with runc and
// busybox-static installed (apt-get install -y runc busybox-static).
package runctest
