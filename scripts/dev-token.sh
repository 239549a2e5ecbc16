#!/usr/bin/env bash
# Signs a JWT for local use with an RSA private key, with openssl only: for an API started with
# SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_PUBLIC_KEY_LOCATION=file:<the matching public key>.
#
#   scripts/dev-token.sh KEY.pem [SCOPE] [MINUTES]
#
# SCOPE defaults to videos:write (what writes need), MINUTES to 60. Prints the token.
set -euo pipefail

if [[ $# -lt 1 || ! -r "$1" ]]; then
	echo "usage: $0 KEY.pem [SCOPE] [MINUTES]   (KEY.pem: an RSA private key in PEM)" >&2
	exit 2
fi
key=$1
scope=${2:-videos:write}
minutes=${3:-60}

base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | base64url)
payload=$(printf '{"sub":"%s","scope":"%s","iat":%d,"exp":%d}' "${USER:-developer}" "$scope" "$now" \
	"$((now + minutes * 60))" | base64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | base64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
