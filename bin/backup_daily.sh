#!/bin/sh
# The compose backup service: one backup a day at BACKUP_TIME (HH:MM, office time UTC+8: the
# mainland keeps no daylight saving), then only the archives BACKUP_KEEP_DAILY / BACKUP_KEEP_MONTHLY
# say are kept. A failed run is recorded in the database (admin › 数据备份 › 备份记录, and a red
# line on every admin page) and the loop goes on to the next day.
set -u
time_of_day="${BACKUP_TIME:-02:30}"
hours=${time_of_day%%:*}
minutes=${time_of_day#*:}
target=$(( ${hours#0} * 3600 + ${minutes#0} * 60 ))
while :; do
    now=$(( ($(date -u +%s) + 8 * 3600) % 86400 ))
    wait=$(( (target - now + 86400) % 86400 ))
    [ "$wait" -eq 0 ] && wait=86400
    echo "backup: next run in ${wait}s (${time_of_day} UTC+8)"
    sleep "$wait"
    python manage.py backup --prune || echo "backup: this run failed; see the admin's 备份记录"
done
