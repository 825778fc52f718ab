<!DOCTYPE html><html><body>502</body></html>
