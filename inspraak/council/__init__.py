"""Tenant councils: meetings, agendas, attendance, proxies, motions, ballots, minutes, advice requests."""
