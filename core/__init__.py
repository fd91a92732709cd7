"""What every layer shares and nothing of the project's: the warehouse's rows and Arrow model,
coded values, race times, views, errors that carry file:line, escaping, durable writes."""
