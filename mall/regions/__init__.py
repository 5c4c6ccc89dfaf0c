"""Administrative regions (province → city → county) with their 6-digit codes and policy flags."""
