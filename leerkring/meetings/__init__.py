"""Meetings (bijeenkomsten): scheduling, recurrence, answers, attendance and calendars."""
