// Command posture audits a Pod together with the image configs of its
// containers: where the Pod is silent about its user, the image's USER
// decides, and bulwark says so with the image as evidence.
package main
