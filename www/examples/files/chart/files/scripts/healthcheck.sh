#!/bin/sh
wget -q -O- "http://127.0.0.1:${PORT:-8000}/healthz"
